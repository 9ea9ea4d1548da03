using System.Buffers.Binary;

namespace PipelineGate.TestAssets;

/// <summary>
/// Real recorded speech that Debian publishes: the nine ALSA speaker-test clips ("Front Center", "Rear
/// Left", … and "Noise") in alsa-utils 1.2.8-1 (bookworm), 16-bit mono 48 kHz WAV, pinned by the
/// package's SHA-256 and fetched into the cache on first use. Used to check the Silero voice activity
/// detector against its quantized variants on real audio rather than on synthetic signals.
/// </summary>
public static class RealAudio
{
    private const string Package = "alsa-utils";
    private const string Version = "1.2.8-1";
    private const string Sha256 = "fb24eb1a318228b974efbef726190dd90c6106a208814a3ee8f5d69b91ee0ba4";

    /// <summary>Paths of the nine clips, sorted by name.</summary>
    public static IReadOnlyList<string> SpeakerTestClips =>
        Directory.GetFiles(Path.Combine(AssetCache.DebianPackage(Package, Version, Sha256), "usr", "share", "sounds", "alsa"), "*.wav")
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>
    /// Reads a 16-bit PCM mono WAV and resamples it to 16 kHz by averaging groups of samples (48 kHz → 16 kHz
    /// averages 3: a crude but adequate low-pass for a voice detector). Values are scaled to [−1, 1).
    /// </summary>
    public static float[] ReadMono16k(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 12 || BinaryPrimitives.ReadUInt32BigEndian(bytes) != 0x52494646 || BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(8)) != 0x57415645)
        {
            throw new InvalidDataException($"{path} is not a RIFF/WAVE file.");
        }

        int rate = 0, channels = 0, bits = 0;
        var offset = 12;
        while (offset + 8 <= bytes.Length)
        {
            var id = System.Text.Encoding.ASCII.GetString(bytes, offset, 4);
            var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 4));
            var body = bytes.AsSpan(offset + 8, Math.Min(size, bytes.Length - offset - 8));
            if (id == "fmt ")
            {
                channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
                rate = (int)BinaryPrimitives.ReadUInt32LittleEndian(body[4..]);
                bits = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);
            }
            else if (id == "data")
            {
                if (channels != 1 || bits != 16 || rate % 16000 != 0)
                {
                    throw new InvalidDataException($"{path}: expected 16-bit mono at a multiple of 16 kHz, got {bits}-bit, {channels} channel(s), {rate} Hz.");
                }

                var factor = rate / 16000;
                var count = body.Length / 2 / factor;
                var result = new float[count];
                for (var i = 0; i < count; i++)
                {
                    var sum = 0;
                    for (var k = 0; k < factor; k++)
                    {
                        sum += BinaryPrimitives.ReadInt16LittleEndian(body[(((i * factor) + k) * 2)..]);
                    }

                    result[i] = sum / (factor * 32768f);
                }

                return result;
            }

            offset += 8 + size + (size & 1);
        }

        throw new InvalidDataException($"{path} has no data chunk.");
    }
}
