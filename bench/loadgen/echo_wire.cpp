#include "echo_wire.hpp"

#include <algorithm>
#include <cstring>

namespace bench {

namespace {

constexpr uint32_t strict_call = 0x80010001;
constexpr uint32_t strict_mask = 0xffff0000;
constexpr uint32_t strict_version = 0x80010000;
constexpr uint8_t msg_reply = 2;
constexpr uint8_t msg_exception = 3;
constexpr uint8_t t_stop = 0, t_bool = 2, t_byte = 3, t_double = 4, t_i16 = 6,
                  t_i32 = 8, t_i64 = 10, t_string = 11, t_struct = 12,
                  t_map = 13, t_set = 14, t_list = 15;
constexpr uint16_t ttheader_magic = 0x1000;
constexpr std::string_view method = "Echo";

void put_u8(std::vector<uint8_t>& b, uint8_t v) {
  b.push_back(v);
}

void put_u16(std::vector<uint8_t>& b, uint16_t v) {
  b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
}

void put_u32(std::vector<uint8_t>& b, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8)
    b.push_back(static_cast<uint8_t>(v >> s));
}

void put_string(std::vector<uint8_t>& b, std::string_view s) {
  put_u32(b, static_cast<uint32_t>(s.size()));
  b.insert(b.end(), s.begin(), s.end());
}

void patch_u32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

uint32_t get_u32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8)
         | uint32_t{p[3]};
}

/// Writes the hex digits of `tag`, most significant first, into dst[0..len).
void write_tag(char* dst, size_t len, call_tag tag) {
  static constexpr char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < len; ++i)
    dst[i] = digits[(tag >> (28 - 4 * i)) & 0xf];
}

/// A bounds-checked Thrift Binary reader. Running out of bytes sets short_;
/// anything impossible sets bad_. Both make every later read fail.
class reader {
public:
  reader(const uint8_t* p, const uint8_t* end, size_t max_string)
    : p_(p), end_(end), max_string_(max_string) {}

  bool failed() const {
    return short_ || bad_;
  }
  bool is_short() const {
    return short_ && !bad_;
  }
  const uint8_t* pos() const {
    return p_;
  }

  uint8_t u8() {
    return need(1) ? *p_++ : 0;
  }
  int16_t i16() {
    if (!need(2))
      return 0;
    auto v = static_cast<int16_t>((p_[0] << 8) | p_[1]);
    p_ += 2;
    return v;
  }
  uint32_t u32() {
    if (!need(4))
      return 0;
    auto v = get_u32(p_);
    p_ += 4;
    return v;
  }
  std::string_view str() {
    auto len = static_cast<int32_t>(u32());
    if (failed())
      return {};
    if (len < 0 || static_cast<size_t>(len) > max_string_)
      return fail();
    if (!need(static_cast<size_t>(len)))
      return {};
    std::string_view s{reinterpret_cast<const char*>(p_),
                       static_cast<size_t>(len)};
    p_ += len;
    return s;
  }
  void set_bad() {
    bad_ = true;
  }
  void skip(uint8_t type, int depth);
  void skip_struct(int depth);

private:
  bool need(size_t k) {
    if (failed())
      return false;
    if (static_cast<size_t>(end_ - p_) < k) {
      short_ = true;
      return false;
    }
    return true;
  }
  std::string_view fail() {
    bad_ = true;
    return {};
  }

  const uint8_t* p_;
  const uint8_t* end_;
  size_t max_string_;
  bool short_ = false;
  bool bad_ = false;
};

void reader::skip_struct(int depth) {
  while (!failed()) {
    auto type = u8();
    if (failed() || type == t_stop)
      return;
    i16();
    skip(type, depth + 1);
  }
}

void reader::skip(uint8_t type, int depth) {
  if (depth > 32) {
    bad_ = true;
    return;
  }
  switch (type) {
    case t_bool:
    case t_byte:
      u8();
      return;
    case t_i16:
      i16();
      return;
    case t_i32:
      u32();
      return;
    case t_double:
    case t_i64:
      u32(), u32();
      return;
    case t_string:
      str();
      return;
    case t_struct:
      skip_struct(depth);
      return;
    case t_map: {
      auto kt = u8(), vt = u8();
      auto n = static_cast<int32_t>(u32());
      for (int32_t i = 0; i < n && !failed(); ++i)
        skip(kt, depth + 1), skip(vt, depth + 1);
      bad_ = bad_ || n < 0;
      return;
    }
    case t_set:
    case t_list: {
      auto et = u8();
      auto n = static_cast<int32_t>(u32());
      for (int32_t i = 0; i < n && !failed(); ++i)
        skip(et, depth + 1);
      bad_ = bad_ || n < 0;
      return;
    }
    default:
      bad_ = true;
  }
}

/// Reads Response{1: action, 2: msg}, skipping fields it does not know.
void read_response(reader& r, reply_view& out) {
  while (!r.failed()) {
    auto type = r.u8();
    if (r.failed() || type == t_stop)
      return;
    auto id = r.i16();
    if (id == 1 && type == t_string)
      out.action = r.str();
    else if (id == 2 && type == t_string)
      out.msg = r.str();
    else
      r.skip(type, 1);
  }
}

/// Reads the REPLY's result struct: field 0 is the Response, field 1 the
/// declared EchoError.
void read_result(reader& r, reply_view& out) {
  while (!r.failed()) {
    auto type = r.u8();
    if (r.failed() || type == t_stop)
      return;
    auto id = r.i16();
    if (id == 0 && type == t_struct) {
      read_response(r, out);
    } else {
      out.is_exception = out.is_exception || id != 0;
      r.skip(type, 1);
    }
  }
}

/// Reads one strict Thrift message from [p, end); returns the reader so the
/// caller can tell "incomplete" from "malformed" and how much was used.
reader read_message(const uint8_t* p, const uint8_t* end, size_t max_string,
                    reply_view& out) {
  reader r{p, end, max_string};
  auto version = r.u32();
  if (!r.failed() && (version & strict_mask) != strict_version) {
    r.set_bad();
    return r;
  }
  auto name = r.str();
  out.seq = static_cast<int32_t>(r.u32());
  if (r.failed())
    return r;
  out.wrong_method = name != method;
  auto type = static_cast<uint8_t>(version & 0xff);
  if (type == msg_reply) {
    read_result(r, out);
  } else if (type == msg_exception) {
    out.is_exception = true;
    r.skip_struct(0);
  } else {
    r.set_bad();
  }
  return r;
}

/// Parses a message that must fill [p, end) exactly (the inside of a frame).
parse_status parse_exact(const uint8_t* p, const uint8_t* end,
                         size_t max_string, reply_view& out) {
  auto r = read_message(p, end, max_string, out);
  if (r.failed() || r.pos() != end)
    return parse_status::malformed;
  return parse_status::complete;
}

parse_status parse_ttheader(const uint8_t* data, size_t frame_end,
                            size_t max_frame, reply_view& out) {
  if (frame_end < 14 || ((data[4] << 8) | data[5]) != ttheader_magic)
    return parse_status::malformed;
  auto header_seq = static_cast<int32_t>(get_u32(data + 8));
  size_t header_size = static_cast<size_t>((data[12] << 8) | data[13]) * 4;
  size_t payload = 14 + header_size;
  if (header_size < 2 || payload > frame_end || data[14] != 0)
    return parse_status::malformed; // protocol 0 = Thrift Binary
  auto st = parse_exact(data + payload, data + frame_end, max_frame, out);
  out.seq_mismatch = header_seq != out.seq;
  return st;
}

} // namespace

std::optional<transport> parse_transport(std::string_view name) {
  if (name == "framed")
    return transport::framed;
  if (name == "buffered")
    return transport::buffered;
  if (name == "ttheader")
    return transport::ttheader;
  if (name == "raw")
    return transport::raw;
  return std::nullopt;
}

std::string_view to_string(transport t) {
  switch (t) {
    case transport::framed:
      return "framed";
    case transport::buffered:
      return "buffered";
    case transport::ttheader:
      return "ttheader";
    case transport::raw:
      return "raw";
  }
  return "?";
}

request_template::request_template(transport t, std::string action,
                                   size_t msg_size)
  : transport_(t), action_(std::move(action)), msg_(msg_size, 'x') {
  for (size_t i = 0; i < msg_size; ++i)
    msg_[i] = static_cast<char>('a' + i % 26);
  tag_len_ = std::min<size_t>(msg_size, 8);
  auto& b = bytes_;
  if (t == transport::raw) {
    put_u32(b, static_cast<uint32_t>(msg_size));
    msg_offset_ = b.size();
    b.insert(b.end(), msg_.begin(), msg_.end());
    return;
  }
  if (t == transport::framed || t == transport::ttheader)
    put_u32(b, 0); // LENGTH, patched below
  if (t == transport::ttheader) {
    put_u16(b, ttheader_magic);
    put_u16(b, 0); // flags
    header_seq_offset_ = b.size();
    put_u32(b, 0);
    put_u16(b, 1); // header size in 4-byte words
    put_u8(b, 0);  // protocol: Thrift Binary
    put_u8(b, 0);  // no transforms
    put_u16(b, 0); // padding to the word
  }
  put_u32(b, strict_call);
  put_string(b, method);
  seq_offset_ = b.size();
  put_u32(b, 0);
  put_u8(b, t_struct); // args field 1: Request
  put_u16(b, 1);
  put_u8(b, t_string); // Request.action
  put_u16(b, 1);
  put_string(b, action_);
  put_u8(b, t_string); // Request.msg
  put_u16(b, 2);
  msg_offset_ = b.size() + 4;
  put_string(b, msg_);
  put_u8(b, t_stop); // end of Request
  put_u8(b, t_stop); // end of args
  if (t != transport::buffered)
    patch_u32(b.data(), static_cast<uint32_t>(b.size() - 4));
}

void request_template::append_to(std::vector<uint8_t>& out, int32_t seq) const {
  auto at = out.size();
  out.insert(out.end(), bytes_.begin(), bytes_.end());
  auto* p = out.data() + at;
  if (transport_ != transport::raw)
    patch_u32(p + seq_offset_, static_cast<uint32_t>(seq));
  if (transport_ == transport::ttheader)
    patch_u32(p + header_seq_offset_, static_cast<uint32_t>(seq));
  write_tag(reinterpret_cast<char*>(p + msg_offset_), tag_len_,
            static_cast<call_tag>(seq));
}

bool request_template::matches(int32_t seq, std::string_view action,
                               std::string_view msg) const {
  if (msg.size() != msg_.size())
    return false;
  if (transport_ != transport::raw && action != action_)
    return false;
  char tag[8];
  write_tag(tag, tag_len_, static_cast<call_tag>(seq));
  return std::memcmp(msg.data(), tag, tag_len_) == 0
         && std::memcmp(msg.data() + tag_len_, msg_.data() + tag_len_,
                        msg_.size() - tag_len_)
              == 0;
}

parse_status parse_reply(transport t, const uint8_t* data, size_t n,
                         size_t max_frame, reply_view& out) {
  out = reply_view{};
  if (t == transport::buffered) {
    auto r = read_message(data, data + n, max_frame, out);
    if (r.is_short())
      return parse_status::need_more;
    if (r.failed())
      return parse_status::malformed;
    out.size = static_cast<size_t>(r.pos() - data);
    return parse_status::complete;
  }
  if (n < 4)
    return parse_status::need_more;
  size_t len = get_u32(data);
  if (len > max_frame)
    return parse_status::malformed;
  if (n < 4 + len)
    return parse_status::need_more;
  out.size = 4 + len;
  if (t == transport::raw) {
    out.msg = {reinterpret_cast<const char*>(data + 4), len};
    return parse_status::complete;
  }
  if (t == transport::ttheader)
    return parse_ttheader(data, 4 + len, max_frame, out);
  return parse_exact(data + 4, data + 4 + len, max_frame, out);
}

} // namespace bench
