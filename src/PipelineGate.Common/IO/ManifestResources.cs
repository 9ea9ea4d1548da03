using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace PipelineGate.IO;

/// <summary>
/// Reads an embedded manifest resource out of a .NET assembly file with System.Reflection.Metadata: the
/// assembly is parsed as data, never loaded for execution (so its code, its target framework and its
/// dependencies do not matter, and nothing in it runs).
/// </summary>
public static class ManifestResources
{
    /// <summary>Names of the resources embedded in <paramref name="assemblyPath"/>.</summary>
    /// <exception cref="BadImageFormatException">The file is not a .NET assembly.</exception>
    public static IReadOnlyList<string> Names(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var reader = Metadata(pe, assemblyPath);
        return reader.ManifestResources.Select(h => reader.GetString(reader.GetManifestResource(h).Name)).ToArray();
    }

    /// <summary>The bytes of resource <paramref name="name"/>, or null when the assembly does not embed it.</summary>
    /// <exception cref="BadImageFormatException">The file is not a .NET assembly, or its resource directory is cut short.</exception>
    public static byte[]? Read(string assemblyPath, string name)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath), PEStreamOptions.PrefetchEntireImage);
        var reader = Metadata(pe, assemblyPath);
        var resource = reader.ManifestResources.Select(reader.GetManifestResource)
            .Where(r => r.Implementation.IsNil && reader.GetString(r.Name) == name)
            .Select(static r => (ManifestResource?)r)
            .FirstOrDefault();
        if (resource is not { } found)
        {
            return null;
        }

        // The resources directory holds, per resource, a 4-byte little-endian length and then the bytes.
        var directory = pe.PEHeaders.CorHeader!.ResourcesDirectory;
        var block = pe.GetSectionData(directory.RelativeVirtualAddress).GetContent();
        var offset = checked((int)found.Offset);
        if (offset < 0 || offset + 4 > block.Length)
        {
            throw new BadImageFormatException($"{assemblyPath}: resource {name} starts outside the resource directory.");
        }

        var length = BitConverter.ToInt32(block.AsSpan(offset, 4));
        if (length < 0 || (long)offset + 4 + length > block.Length)
        {
            throw new BadImageFormatException($"{assemblyPath}: resource {name} is cut short ({length:N0} bytes declared).");
        }

        return block.AsSpan(offset + 4, length).ToArray();
    }

    /// <summary>
    /// Copies resource <paramref name="name"/> to <paramref name="destination"/> atomically (a reader never sees
    /// half a file).
    /// </summary>
    /// <exception cref="InvalidOperationException">The assembly embeds no resource of that name.</exception>
    public static void Extract(string assemblyPath, string name, string destination)
    {
        var bytes = Read(assemblyPath, name)
            ?? throw new InvalidOperationException($"{assemblyPath} embeds no resource named {name}; it has: {string.Join(", ", Names(assemblyPath))}.");
        AtomicFile.Write(destination, s => s.Write(bytes));
    }

    private static MetadataReader Metadata(PEReader pe, string assemblyPath)
    {
        try
        {
            return pe.HasMetadata ? pe.GetMetadataReader() : throw new BadImageFormatException($"{assemblyPath} is not a .NET assembly (no metadata).");
        }
        catch (InvalidOperationException e)
        {
            throw new BadImageFormatException($"{assemblyPath} is not a .NET assembly: {e.Message}", e);
        }
    }
}
