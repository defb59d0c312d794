#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target into fuzz/corpus/<target>/.

The seeds are small valid inputs (plus a few well-formed refusals) built with
a minimal Thrift Binary / Compact encoder and TTHeader framer, following
docs/protocols.md and the byte examples of Kitex's wire formats. The files
are committed; rerun this script after changing it:

    python3 fuzz/make_corpus.py
"""

import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")

# -- Thrift values ---------------------------------------------------------------
# A value is (type, payload): ("i32", 5), ("string", b"x"), ("uuid", bytes16),
# ("struct", [(id, value), ...]), ("list"/"set", elem_type, [payload, ...]),
# ("map", key_type, value_type, [(key_payload, value_payload), ...]).
# Container elements are payloads of the element type; struct elements are
# field lists, nested containers are (elem..., items) tuples without the type.

BINARY_IDS = {"bool": 2, "byte": 3, "double": 4, "i16": 6, "i32": 8,
              "i64": 10, "string": 11, "struct": 12, "map": 13, "set": 14,
              "list": 15, "uuid": 16}
COMPACT_IDS = {"bool": 1, "byte": 3, "i16": 4, "i32": 5, "i64": 6,
               "double": 7, "string": 8, "list": 9, "set": 10, "map": 11,
               "struct": 12, "uuid": 13}
CALL, REPLY, EXCEPTION, ONEWAY = 1, 2, 3, 4


def s(text):
    return text.encode() if isinstance(text, str) else text


class Binary:
    @staticmethod
    def value(t, p):
        if t == "bool":
            return bytes([1 if p else 0])
        if t == "byte":
            return struct.pack(">b", p)
        if t == "i16":
            return struct.pack(">h", p)
        if t == "i32":
            return struct.pack(">i", p)
        if t == "i64":
            return struct.pack(">q", p)
        if t == "double":
            return struct.pack(">d", p)
        if t == "string":
            return struct.pack(">I", len(s(p))) + s(p)
        if t == "uuid":
            return p
        if t == "struct":
            out = b""
            for fid, (ft, *fp) in p:
                out += bytes([BINARY_IDS[ft]]) + struct.pack(">h", fid)
                out += Binary.value(ft, fp[0] if len(fp) == 1 else tuple(fp))
            return out + b"\x00"
        if t in ("list", "set"):
            et, items = p
            out = bytes([BINARY_IDS[et]]) + struct.pack(">i", len(items))
            return out + b"".join(Binary.value(et, i) for i in items)
        if t == "map":
            kt, vt, items = p
            out = bytes([BINARY_IDS[kt], BINARY_IDS[vt]])
            out += struct.pack(">i", len(items))
            for k, v in items:
                out += Binary.value(kt, k) + Binary.value(vt, v)
            return out
        raise ValueError(t)

    @staticmethod
    def message(name, mtype, seq, fields):
        head = struct.pack(">I", 0x80010000 | mtype)
        head += Binary.value("string", name) + struct.pack(">i", seq)
        return head + Binary.value("struct", fields)


def varint(n):
    out = b""
    while n >= 0x80:
        out += bytes([(n & 0x7F) | 0x80])
        n >>= 7
    return out + bytes([n])


def zigzag(n, bits):
    return ((n << 1) ^ (n >> (bits - 1))) & ((1 << bits) - 1)


class Compact:
    @staticmethod
    def value(t, p):
        if t == "bool":  # a container element; fields carry it in the type
            return bytes([1 if p else 2])
        if t == "byte":
            return struct.pack(">b", p)
        if t in ("i16", "i32"):
            return varint(zigzag(p, 32))
        if t == "i64":
            return varint(zigzag(p, 64))
        if t == "double":
            return struct.pack("<d", p)
        if t == "string":
            return varint(len(s(p))) + s(p)
        if t == "uuid":
            return p
        if t == "struct":
            out, last = b"", 0
            for fid, (ft, *fp) in p:
                payload = fp[0] if len(fp) == 1 else tuple(fp)
                ctype = COMPACT_IDS[ft]
                if ft == "bool":
                    ctype = 1 if payload else 2
                delta = fid - last
                if 0 < delta <= 15:
                    out += bytes([(delta << 4) | ctype])
                else:
                    out += bytes([ctype]) + varint(zigzag(fid, 32))
                last = fid
                if ft != "bool":
                    out += Compact.value(ft, payload)
            return out + b"\x00"
        if t in ("list", "set"):
            et, items = p
            n = len(items)
            if n < 15:
                out = bytes([(n << 4) | COMPACT_IDS[et]])
            else:
                out = bytes([0xF0 | COMPACT_IDS[et]]) + varint(n)
            return out + b"".join(Compact.value(et, i) for i in items)
        if t == "map":
            kt, vt, items = p
            if not items:
                return b"\x00"
            out = varint(len(items))
            out += bytes([(COMPACT_IDS[kt] << 4) | COMPACT_IDS[vt]])
            for k, v in items:
                out += Compact.value(kt, k) + Compact.value(vt, v)
            return out
        raise ValueError(t)

    @staticmethod
    def message(name, mtype, seq, fields):
        head = bytes([0x82, (mtype << 5) | 1]) + varint(seq)
        head += Compact.value("string", name)
        return head + Compact.value("struct", fields)


# -- framings ----------------------------------------------------------------------


def framed(msg):
    return struct.pack(">I", len(msg)) + msg


def ttheader(payload, seq=1, protocol=0, int_kv=(), str_kv=(), acl=None,
             flags=0, transforms=b"", extra_info=b""):
    info = bytes([protocol, len(transforms)]) + transforms
    if acl is not None:
        info += b"\x11" + struct.pack(">H", len(acl)) + s(acl)
    if str_kv:
        info += b"\x01" + struct.pack(">H", len(str_kv))
        for k, v in str_kv:
            info += struct.pack(">H", len(k)) + s(k)
            info += struct.pack(">H", len(v)) + s(v)
    if int_kv:
        info += b"\x10" + struct.pack(">H", len(int_kv))
        for k, v in int_kv:
            info += struct.pack(">HH", k, len(v)) + s(v)
    info += extra_info
    info += b"\x00" * ((4 - len(info) % 4) % 4)
    head = struct.pack(">HHiH", 0x1000, flags, seq, len(info) // 4)
    body = head + info + payload
    return struct.pack(">I", len(body)) + body


def theader(payload, seq=1, protocol=0, kv=(), flags=0, transforms=(),
            extra_info=b""):
    """Apache THeader (0x0FFF) as libthrift writes it: varint fields, then
    1 to 4 bytes of padding."""
    info = varint(protocol) + varint(len(transforms))
    info += b"".join(varint(t) for t in transforms)
    if kv:
        info += varint(1) + varint(len(kv))
        for k, v in kv:
            info += varint(len(s(k))) + s(k) + varint(len(s(v))) + s(v)
    info += extra_info
    info += b"\x00" * (4 - len(info) % 4)
    head = struct.pack(">HHiH", 0x0FFF, flags, seq, len(info) // 4)
    body = head + info + payload
    return struct.pack(">I", len(body)) + body


# -- the echo and rich IDLs ----------------------------------------------------------

def request(action="echo", msg="hello"):
    return [(1, ("string", action)), (2, ("string", msg))]


def point(x, y):
    return [(1, ("i32", x)), (2, ("i32", y))]


def item(iid, name=None, tags=("new",)):
    fields = [(1, ("i64", iid))]
    if name is not None:
        fields.append((2, ("string", name)))
    fields += [(3, ("i32", 1)), (4, ("struct", point(3, 4))),
               (5, ("i64", 1700000000)),
               (6, ("list", "string", [s(t) for t in tags])),
               (7, ("struct", point(1, 100)))]
    return fields


UUID = bytes(range(0x00, 0x100, 0x11))


def all_base():
    return [(1, ("bool", True)), (2, ("byte", -2)), (3, ("byte", 7)),
            (4, ("i16", -300)), (5, ("i32", 70000)), (6, ("i64", -(1 << 40))),
            (7, ("double", 3.25)), (8, ("string", "text \u00e9")),
            (9, ("string", b"\x00\xff\x10")), (10, ("uuid", UUID))]


def tree(depth):
    children = [tree(depth - 1)] if depth > 0 else []
    fields = [(1, ("string", "node%d" % depth)),
              (2, ("list", "struct", children))]
    if depth == 2:
        fields.append((3, ("map", "string", "struct", [(b"k", tree(0))])))
    return fields


def value_union():
    many = [[(1, ("i64", 5))], [(2, ("string", "five"))],
            [(3, ("struct", item(9)))]]
    return [(4, ("list", "struct", many))]


def rich():
    # map<i32, list<map<string, set<i64>>>>
    nested = [(7, ("map", [("string", "set", [(b"a", ("i64", [1, 2, 3]))])]))]
    return [
        (1, ("struct", all_base())),
        (2, ("list", "struct", [item(1, "one"), item(2)])),
        (3, ("map", "string", "struct", [(b"one", item(1, "one"))])),
        (4, ("set", "string", [b"x", b"y"])),
        (5, ("map", "i32", "list", nested)),
        (6, ("list", "list", [("struct", [item(3)])])),
        (7, ("map", "i32", "string", [(1, b"active"), (10, b"banned")])),
        (8, ("struct", [(1, ("i64", 42))])),
        (9, ("struct", tree(2))),
        (10, ("list", "struct", [item(4, tags=())])),
        (11, ("set", "struct", [point(0, 0), point(1, 2)])),
        (12, ("map", "struct", "string", [(point(5, 6), b"p")])),
        (13, ("list", "bool", [True, False, True])),
        (14, ("i32", 5)),
        (15, ("string", "required")),
        (16, ("list", "string", [b"\x00\x01", b""])),
        (17, ("map", "string", "list", [(b"g", ("struct", [item(8)]))])),
    ]


# -- writing the corpus ------------------------------------------------------------


def write(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# The call and reply of EchoServer.Echo; the exception of kitex.md §2.12.
def echo_args():
    return [(1, ("struct", request()))]


def echo_reply():
    return [(0, ("struct", request("echo", "hello back")))]


def unknown_method():
    return [(1, ("string", "unknown method")), (2, ("i32", 1))]


def ttheader_seeds():
    call = Binary.message("Echo", CALL, 1, [])
    write("fuzz_ttheader", "kitex_echo_call", ttheader(call, int_kv=[(9, "Echo")]))
    write("fuzz_ttheader", "metadata", ttheader(
        framed(Binary.message("Echo", CALL, 7, echo_args())), seq=7,
        int_kv=[(3, "client"), (6, "echo"), (9, "Echo"), (12, "1000")],
        str_kv=[("isn", "EchoServer"), ("rip", "127.0.0.1"),
                ("RPC_PERSIST_RetryReq", "1")],
        acl="token"))
    write("fuzz_ttheader", "reply_crrst", ttheader(
        Binary.message("Echo", REPLY, 3, echo_reply()), seq=3,
        int_kv=[(22, "2")], str_kv=[("crrst", "1"), ("biz-status", "0")]))
    write("fuzz_ttheader", "compact_payload", ttheader(
        Compact.message("Echo", CALL, 2, echo_args()), seq=2, protocol=2))
    write("fuzz_ttheader", "minimal", ttheader(b""))
    write("fuzz_ttheader", "info_after_padding", ttheader(
        call, extra_info=b"\x00\x00\x01\x00\x01\x00\x01k\x00\x01v"))
    write("fuzz_ttheader", "streaming_flag", ttheader(
        b"", protocol=0x10, flags=2, int_kv=[(27, "2")]))
    write("fuzz_ttheader", "zlib_transform", ttheader(call, transforms=b"\x01"))


def theader_seeds():
    call = Binary.message("Echo", CALL, 1, echo_args())
    write("fuzz_theader", "binary_call", theader(
        call, kv=[("client", "libthrift"), ("trace", "a" * 130)]))
    write("fuzz_theader", "compact_reply", theader(
        Compact.message("Echo", REPLY, 9, echo_reply()), seq=9, protocol=2,
        flags=1))
    write("fuzz_theader", "no_headers", theader(call))
    write("fuzz_theader", "unknown_info_skipped", theader(
        call, kv=[("k", "v")], extra_info=b"\x02\x01\x01k\x01v"))
    write("fuzz_theader", "json_protocol", theader(b"[1]", protocol=1))
    write("fuzz_theader", "zlib_transform", theader(call, transforms=[1]))


def frames_seeds():
    call = Binary.message("Echo", CALL, 1, echo_args())
    reply = Binary.message("Echo", REPLY, 1, echo_reply())
    write("fuzz_frames", "framed_echo_empty",
          framed(Binary.message("Echo", CALL, 1, [])))
    write("fuzz_frames", "framed_pipelined",
          framed(call) + framed(Binary.message("Echo", CALL, 2, echo_args()))
          + framed(call)[:9])
    write("fuzz_frames", "buffered_call", call)
    write("fuzz_frames", "buffered_pipelined", call + reply)
    write("fuzz_frames", "ttheader_echo",
          ttheader(Binary.message("Echo", CALL, 1, []), int_kv=[(9, "Echo")]))
    write("fuzz_frames", "ttheader_framed_reply",
          ttheader(framed(reply), str_kv=[("crrst", "1")]) * 2)
    write("fuzz_frames", "framed_exception",
          framed(Binary.message("Echo", EXCEPTION, 1, unknown_method())))
    write("fuzz_frames", "compact_buffered",
          Compact.message("Echo", CALL, 1, echo_args()))
    write("fuzz_frames", "compact_framed",
          framed(Compact.message("Echo", REPLY, 1, echo_reply())))
    write("fuzz_frames", "compact_ttheader",
          ttheader(Compact.message("Echo", ONEWAY, 5, echo_args()), protocol=2))
    write("fuzz_frames", "theader_binary",
          theader(call, kv=[("k", "v")]) + theader(reply))
    write("fuzz_frames", "theader_compact",
          theader(Compact.message("Echo", CALL, 4, echo_args()), protocol=2))
    write("fuzz_frames", "kitex_protobuf",
          bytes.fromhex("00000014900100010000000445636"
                        "86f000000010a026869"))
    write("fuzz_frames", "http2_preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
    write("fuzz_frames", "http1_get", b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    write("fuzz_frames", "tls_client_hello", bytes.fromhex("16030100a5010000a10303"))


def protocol_seeds(target, enc):
    write(target, "echo_call", enc.message("Echo", CALL, 1, echo_args()))
    write(target, "echo_reply", enc.message("Echo", REPLY, 1, echo_reply()))
    write(target, "exception",
          enc.message("Echo", EXCEPTION, 1, unknown_method()))
    write(target, "all_types", enc.value("struct", rich()))
    write(target, "deep", enc.value("struct", tree(5)))
    write(target, "empty_struct", b"\x00")
    write(target, "long_list", enc.value("struct", [
        (1, ("list", "i32", list(range(20)))),
        (-3, ("map", "i64", "double", [(1, 0.5), (2, -1e300)])),
        (300, ("set", "uuid", [UUID]))]))


# Selector byte of fuzz_generated: type index << 2 | small limits << 1 | compact.
GENERATED_TYPES = ["Request", "EchoError", "Rich", "Tree", "Value", "Item",
                   "AllBase", "NotFound"]


def generated_seeds():
    values = {
        "Request": request(),
        "EchoError": [(1, ("i32", 7)), (2, ("string", "bad request"))],
        "Rich": rich(),
        "Tree": tree(3),
        "Value": value_union(),
        "Item": item(5, "five", tags=("a", "b")),
        "AllBase": all_base(),
        "NotFound": [(1, ("string", "gone")), (2, ("i64", 404))],
    }
    for index, name in enumerate(GENERATED_TYPES):
        for compact, enc in ((0, Binary), (1, Compact)):
            sel = bytes([(index << 2) | compact])
            proto = "compact" if compact else "binary"
            write("fuzz_generated", "%s_%s" % (name, proto),
                  sel + enc.value("struct", values[name]))
    # The small limits (bit 1) refuse most of Rich.
    write("fuzz_generated", "Rich_binary_small_limits",
          bytes([(2 << 2) | 2]) + Binary.value("struct", rich()))


if __name__ == "__main__":
    ttheader_seeds()
    theader_seeds()
    frames_seeds()
    protocol_seeds("fuzz_thrift_binary", Binary)
    protocol_seeds("fuzz_thrift_compact", Compact)
    generated_seeds()
