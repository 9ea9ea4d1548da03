#!/usr/bin/env python3
"""Generate src/PipelineGate.Runtime/Native/OrtApiSlot.cs from onnxruntime_c_api.h.

Usage:
    python3 eng/gen-ort-slots.py path/to/onnxruntime_c_api.h > OrtApiSlot.cs
    python3 eng/gen-ort-slots.py --list path/to/onnxruntime_c_api.h   # "slot<TAB>name" lines

The OrtApi struct is a table of function pointers. Its members are parsed in
declaration order; the zero-based position of a member is its slot number (the
binding reads slot N at offset N * pointer-size). Member kinds understood:

  ORT_API2_STATUS(Name, ...) / ORT_API_STATUS(Name, ...)   -> Name
  ORT_API_T(ReturnType, Name, ...)                         -> Name
  ORT_CLASS_RELEASE(X)                                     -> ReleaseX
  Ret(ORT_API_CALL* Name)(...)  (plain function pointer)   -> Name
  any of the above behind a deprecation macro/attribute     -> same name

Anything else inside the struct (including #if/#else around members) is an
error, so the count is exact or the script fails. Standard library only.
"""

import re
import sys

STATUS_MACRO = re.compile(r"^ORT_API\w*_STATUS\w*$")  # ORT_API_STATUS, ORT_API2_STATUS
TYPED_MACRO = re.compile(r"^ORT_API_T\w*$")  # ORT_API_T
RELEASE_MACRO = re.compile(r"^ORT_CLASS_RELEASE\w*$")  # ORT_CLASS_RELEASE
# Prefixes that may precede a member without changing its slot.
PREFIX = re.compile(
    r"^(?:\[\[[^\]]*\]\]\s*"  # [[deprecated(...)]]
    r"|__attribute__\s*\(\((?:[^()]|\([^()]*\))*\)\)\s*"  # __attribute__((...))
    r"|__declspec\s*\((?:[^()]|\([^()]*\))*\)\s*"  # __declspec(...)
    r"|ORT_\w*DEPRECATED\w*(?:\s*\((?:[^()]|\([^()]*\))*\))?\s*)"  # ORT_API_DEPRECATED(...)
)
FUNC_PTR = re.compile(r"\(\s*(?:ORT_API_CALL\s*)?\*\s*([A-Za-z_]\w*)\s*\)\s*\(")
IDENT = re.compile(r"^[A-Za-z_]\w*$")


def strip_comments(text):
    """Remove // and /* */ comments (string/char literals respected), keep newlines."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "/" and i + 1 < n and text[i + 1] == "/":
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif c == "/" and i + 1 < n and text[i + 1] == "*":
            j = text.find("*/", i + 2)
            if j < 0:
                raise SystemExit("unterminated /* comment")
            out.append("\n" * text.count("\n", i, j) + " ")
            i = j + 2
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def strip_preprocessor(text):
    """Drop preprocessor lines (with backslash continuations)."""
    lines, out, cont = text.split("\n"), [], False
    for line in lines:
        if cont or line.lstrip().startswith("#"):
            cont = line.rstrip().endswith("\\")
            out.append("")
        else:
            out.append(line)
    return "\n".join(out)


def struct_body(text, name):
    m = re.search(r"\bstruct\s+" + re.escape(name) + r"\s*\{", text)
    if not m:
        raise SystemExit("struct %s { not found" % name)
    depth, i = 1, m.end()
    while depth:
        if i >= len(text):
            raise SystemExit("struct %s is not closed" % name)
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
        i += 1
    return text[m.end() : i - 1]


def split_top(text, sep):
    """Split on sep at parenthesis/bracket/brace depth 0."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def macro_args(decl, open_paren):
    depth = 0
    for i in range(open_paren, len(decl)):
        if decl[i] == "(":
            depth += 1
        elif decl[i] == ")":
            depth -= 1
            if depth == 0:
                return [a.strip() for a in split_top(decl[open_paren + 1 : i], ",")]
    raise SystemExit("unbalanced parentheses in: " + decl)


def parse_member(decl):
    """Return (name, kind, return_type, params) for one member declaration."""
    d = " ".join(decl.split())
    while True:
        m = PREFIX.match(d)
        if not m or not m.group(0):
            break
        d = d[m.end() :]
    m = re.match(r"([A-Za-z_]\w*)\s*\(", d)
    if m:
        macro = m.group(1)
        if STATUS_MACRO.match(macro):
            args = macro_args(d, m.end() - 1)
            return args[0], "status", "OrtStatus*", args[1:]
        if TYPED_MACRO.match(macro):
            args = macro_args(d, m.end() - 1)
            return args[1], "typed", args[0], args[2:]
        if RELEASE_MACRO.match(macro):
            args = macro_args(d, m.end() - 1)
            return "Release" + args[0], "release", "void", ["Ort%s* input" % args[0]]
    fp = FUNC_PTR.search(d)
    if fp:
        ret = d[: fp.start()].strip()
        params = macro_args(d, fp.end() - 1)
        return fp.group(1), "pointer", ret, params
    raise SystemExit("unrecognised OrtApi member: " + d)


def parse(header_text):
    body = struct_body(strip_comments(header_text), "OrtApi")
    if re.search(r"^\s*#\s*(?:if|ifdef|ifndef|elif|else)\b", body, re.M):
        # A conditional member would make the slot count depend on build flags.
        raise SystemExit("conditional preprocessor directive inside struct OrtApi; cannot number slots")
    body = strip_preprocessor(body)
    members = []
    for decl in split_top(body, ";"):
        if not decl.strip():
            continue
        name, kind, ret, params = parse_member(decl)
        if not IDENT.match(name):
            raise SystemExit("bad member name %r in: %s" % (name, decl.strip()))
        members.append((name, kind, ret, params))
    names = [m[0] for m in members]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise SystemExit("duplicate OrtApi members: " + ", ".join(dupes))
    return members


def api_version(header_text):
    m = re.search(r"^\s*#\s*define\s+ORT_API_VERSION\s+(\d+)", header_text, re.M)
    return m.group(1) if m else "?"


def render(members, version):
    lines = [
        "// <auto-generated>",
        "// Generated by eng/gen-ort-slots.py from onnxruntime_c_api.h (ORT_API_VERSION %s)." % version,
        "// Do not edit by hand; re-run the script instead.",
        "// </auto-generated>",
        "",
        "namespace PipelineGate.Runtime.Native;",
        "",
        "/// <summary>",
        "/// Slot numbers of the ONNX Runtime C API function table (<c>OrtApi</c>), generated by",
        "/// <c>eng/gen-ort-slots.py</c> from the public API-%s header <c>onnxruntime_c_api.h</c>." % version,
        "/// Slot N is the function pointer at byte offset N * pointer-size in the table returned",
        "/// by <c>OrtApiBase.GetApi</c>. Slots are append-only across API versions: an existing",
        "/// number never changes, new functions only add higher numbers. %d members." % len(members),
        "/// </summary>",
        "internal enum OrtApiSlot",
        "{",
    ]
    for slot, (name, _kind, _ret, _params) in enumerate(members):
        lines.append("    %s = %d," % (name, slot))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv):
    args = argv[1:]
    listing = "--list" in args
    args = [a for a in args if a != "--list"]
    if len(args) != 1:
        sys.stderr.write("usage: gen-ort-slots.py [--list] path/to/onnxruntime_c_api.h\n")
        return 2
    with open(args[0], encoding="utf-8") as f:
        text = f.read()
    members = parse(text)
    if listing:
        result = "".join("%d\t%s\n" % (slot, m[0]) for slot, m in enumerate(members))
    else:
        result = render(members, api_version(text))
    # Write bytes so the output has LF line endings on every platform.
    sys.stdout.buffer.write(result.encode("utf-8"))
    sys.stderr.write("%d OrtApi members\n" % len(members))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
