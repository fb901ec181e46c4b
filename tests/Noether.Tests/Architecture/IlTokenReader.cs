using System.Reflection;
using System.Reflection.Emit;

namespace Noether.Tests.Architecture;

/// <summary>A minimal IL walker: reads a method body's instructions and returns the metadata
/// tokens of those that name a type, field or method (call, callvirt, newobj, ldfld, ldsfld, stfld,
/// ldtoken, castclass, isinst, box, newarr, ldftn, initobj, constrained., …).</summary>
/// <remarks>
/// Most of what a type uses is inside its method bodies, which reflection does not show; the tokens
/// are resolved against the module by <see cref="ReferenceCollector"/>. The opcode table comes from
/// <see cref="OpCodes"/>, so operand sizes are the runtime's own (ECMA-335 §III).
/// </remarks>
public static class IlTokenReader
{
    private static readonly OpCode[] OneByte = new OpCode[0x100];
    private static readonly OpCode[] TwoByte = new OpCode[0x100];

    static IlTokenReader()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (field.GetValue(null) is not OpCode op)
                continue;
            var value = (ushort)op.Value;
            if (op.Size == 1)
                OneByte[value] = op;
            else
                TwoByte[value & 0xFF] = op;
        }
    }

    /// <summary>The (operand kind, token) of every instruction whose operand is a metadata token
    /// for a type, field or method.</summary>
    public static IEnumerable<(OperandType Kind, int Token)> MemberTokens(byte[] il)
    {
        var position = 0;
        while (position < il.Length)
        {
            OpCode op;
            var first = il[position++];
            if (first == 0xFE)
            {
                if (position >= il.Length)
                    throw new InvalidDataException("IL ends inside a two-byte opcode.");
                op = TwoByte[il[position++]];
            }
            else
            {
                op = OneByte[first];
            }
            if (op.Size == 0)
                throw new InvalidDataException($"Unknown IL opcode 0x{first:X2} at offset {position - 1}.");

            switch (op.OperandType)
            {
                case OperandType.InlineField:
                case OperandType.InlineMethod:
                case OperandType.InlineType:
                case OperandType.InlineTok:
                    yield return (op.OperandType, BitConverter.ToInt32(il, position));
                    position += 4;
                    break;
                case OperandType.InlineSwitch:
                    var targets = BitConverter.ToInt32(il, position);
                    position += 4 + 4 * targets;
                    break;
                default:
                    position += OperandSize(op.OperandType);
                    break;
            }
        }
    }

    private static int OperandSize(OperandType kind) => kind switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineBrTarget or OperandType.InlineI or OperandType.InlineSig
            or OperandType.InlineString or OperandType.ShortInlineR => 4,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => throw new InvalidDataException($"Unexpected IL operand kind {kind}."),
    };
}
