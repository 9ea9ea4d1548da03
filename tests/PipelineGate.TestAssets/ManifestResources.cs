using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace PipelineGate.TestAssets;

/// <summary>
/// Reads an embedded manifest resource out of a .NET assembly file with System.Reflection.Metadata: the
/// assembly is parsed as data, never loaded for execution (so its code, its target framework and its
/// dependencies do not matter).
/// </summary>
public static class ManifestResources
{
    /// <summary>Names of the resources embedded in <paramref name="assemblyPath"/>.</summary>
    public static IReadOnlyList<string> Names(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var reader = pe.GetMetadataReader();
        return reader.ManifestResources.Select(h => reader.GetString(reader.GetManifestResource(h).Name)).ToArray();
    }

    /// <summary>
    /// Copies resource <paramref name="name"/> to <paramref name="destination"/> (through a temp file in the same
    /// folder, then a move, so a reader never sees half a file).
    /// </summary>
    public static void Extract(string assemblyPath, string name, string destination)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath), PEStreamOptions.PrefetchEntireImage);
        var reader = pe.GetMetadataReader();
        var resource = reader.ManifestResources.Select(reader.GetManifestResource)
            .Where(r => r.Implementation.IsNil && reader.GetString(r.Name) == name)
            .Select(static r => (ManifestResource?)r)
            .FirstOrDefault()
            ?? throw new InvalidOperationException($"{assemblyPath} embeds no resource named {name}; it has: {string.Join(", ", Names(assemblyPath))}.");

        // The resources directory holds, per resource, a 4-byte little-endian length and then the bytes.
        var directory = pe.PEHeaders.CorHeader!.ResourcesDirectory;
        var block = pe.GetSectionData(directory.RelativeVirtualAddress).GetContent();
        var offset = checked((int)resource.Offset);
        var length = BitConverter.ToInt32(block.AsSpan(offset, 4));
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var temp = $"{destination}.{Guid.NewGuid():N}.partial";
        using (var output = File.Create(temp))
        {
            output.Write(block.AsSpan(offset + 4, length));
        }

        File.Move(temp, destination, overwrite: true);
    }
}
