#include "kitex/idl/const_check.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

#include "kitex/idl/resolve.hpp"

namespace kitex::idl {

namespace {

struct int_range {
  int64_t min;
  int64_t max;
};

/// The range of an integer base type; false for other types.
bool range_of(base_type t, int_range& out) {
  switch (t) {
    case base_type::bool_:
      out = {0, 1};
      return true;
    case base_type::byte:
    case base_type::i8:
      out = {std::numeric_limits<int8_t>::min(),
             std::numeric_limits<int8_t>::max()};
      return true;
    case base_type::i16:
      out = {std::numeric_limits<int16_t>::min(),
             std::numeric_limits<int16_t>::max()};
      return true;
    case base_type::i32:
      out = {std::numeric_limits<int32_t>::min(),
             std::numeric_limits<int32_t>::max()};
      return true;
    case base_type::i64:
      out = {std::numeric_limits<int64_t>::min(),
             std::numeric_limits<int64_t>::max()};
      return true;
    default:
      return false;
  }
}

/// 8-4-4-4-12 hex digits, as Thrift spells a uuid.
bool is_uuid(const std::string& s) {
  if (s.size() != 36)
    return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i])))
      return false;
  }
  return true;
}

std::string struct_word(struct_kind k) {
  if (k == struct_kind::union_)
    return "union";
  return k == struct_kind::exception ? "exception" : "struct";
}

std::string describe(const const_value& v) {
  switch (v.kind) {
    case const_kind::integer:
      return v.text.empty() ? "integer " + std::to_string(v.integer) : v.text;
    case const_kind::floating:
      return "double " + std::to_string(v.floating);
    case const_kind::string:
      return "string literal \"" + v.text + '"';
    case const_kind::identifier:
      return "'" + v.text + "'";
    case const_kind::list:
      return "a list";
    case const_kind::map:
      return "a map";
  }
  return "?";
}

class const_checker {
public:
  const_checker(parse_result& r, const symbols& syms,
                std::vector<diagnostic>& diags)
    : result_(r), symbols_(syms), diags_(diags) {}

  void run();

private:
  void check_fields(const std::string& file, std::vector<field>& fields);
  bool check(const std::string& file, const type_ref& t, const_value& v);
  bool check_identifier(const std::string& file, const type_ref& t,
                        const_value& v);
  bool check_enum_value(const type_ref& t, const_value& v);
  bool check_base(const type_ref& t, base_type b, const const_value& v);
  bool check_named(const std::string& file, const type_ref& t, const_value& v);
  bool check_struct(const std::string& file, const type_ref& t,
                    const struct_def& s, const_value& v);
  definition_ref find_value(const std::string& file, const std::string& name,
                            const type_ref& expected) const;
  bool mismatch(const type_ref& t, const const_value& v);
  definition* mutable_lookup(const definition_ref& ref);
  void error(const location& at, std::string message);

  parse_result& result_;
  const symbols& symbols_;
  std::vector<diagnostic>& diags_;
  /// Consts whose value is being checked, to catch `A = B, B = A`.
  std::vector<const const_value*> active_;
  /// Inside a referenced const only the outermost error is reported.
  int quiet_ = 0;
  /// Set when a reference cycle is found inside a referenced const.
  bool cycle_ = false;
};

void const_checker::run() {
  for (auto& [file, p] : result_.programs) {
    for (auto& d : p.definitions) {
      if (auto* c = std::get_if<const_def>(&d)) {
        active_.push_back(&c->value);
        check(file, c->type, c->value);
        active_.pop_back();
      } else if (auto* s = std::get_if<struct_def>(&d)) {
        check_fields(file, s->fields);
      } else if (auto* sv = std::get_if<service_def>(&d)) {
        for (auto& f : sv->functions) {
          check_fields(file, f.params);
          check_fields(file, f.throws);
        }
      }
    }
  }
}

void const_checker::check_fields(const std::string& file,
                                 std::vector<field>& fields) {
  for (auto& f : fields)
    if (f.default_value)
      check(file, f.type, *f.default_value);
}

void const_checker::error(const location& at, std::string message) {
  if (quiet_ == 0)
    report(diags_, at, std::move(message));
}

definition* const_checker::mutable_lookup(const definition_ref& ref) {
  if (lookup(result_, ref) == nullptr)
    return nullptr;
  return &result_.programs.at(ref.file).definitions[ref.index];
}

bool const_checker::mismatch(const type_ref& t, const const_value& v) {
  error(v.loc,
        "type mismatch: expected " + to_string(t) + ", found " + describe(v));
  return false;
}

bool const_checker::check(const std::string& file, const type_ref& t,
                          const_value& v) {
  auto& type = true_type(result_, t);
  if (type.kind == type_kind::named && !type.target.resolved())
    return true; // unknown type, reported already
  if (v.kind == const_kind::identifier)
    return check_identifier(file, t, v);
  switch (type.kind) {
    case type_kind::base:
      return check_base(t, type.base, v);
    case type_kind::list:
    case type_kind::set: {
      if (v.kind != const_kind::list)
        return mismatch(t, v);
      bool ok = true;
      for (auto& e : v.list)
        ok = check(file, type.params[0], e) && ok;
      return ok;
    }
    case type_kind::map: {
      if (v.kind != const_kind::map)
        return mismatch(t, v);
      bool ok = true;
      for (auto& e : v.map) {
        ok = check(file, type.params[0], e.key) && ok;
        ok = check(file, type.params[1], e.value) && ok;
      }
      return ok;
    }
    case type_kind::named:
      return check_named(file, t, v);
  }
  return true;
}

bool const_checker::check_base(const type_ref& t, base_type b,
                               const const_value& v) {
  int_range range{};
  if (range_of(b, range)) {
    if (v.kind != const_kind::integer)
      return mismatch(t, v);
    if (v.integer < range.min || v.integer > range.max) {
      error(v.loc, "value " + std::to_string(v.integer) + " out of range for "
                     + to_string(t));
      return false;
    }
    return true;
  }
  if (b == base_type::double_) {
    if (v.kind != const_kind::integer && v.kind != const_kind::floating)
      return mismatch(t, v);
    return true;
  }
  if (v.kind != const_kind::string)
    return mismatch(t, v);
  if (b == base_type::uuid && !is_uuid(v.text)) {
    error(v.loc, "'" + v.text + "' is not a uuid");
    return false;
  }
  return true;
}

bool const_checker::check_named(const std::string& file, const type_ref& t,
                                const_value& v) {
  auto& type = true_type(result_, t);
  auto& d = *lookup(result_, type.target);
  if (auto* e = std::get_if<enum_def>(&d)) {
    if (v.kind != const_kind::integer)
      return mismatch(t, v);
    if (std::none_of(e->values.begin(), e->values.end(),
                     [&](auto& x) { return x.value == v.integer; })) {
      error(v.loc, std::to_string(v.integer) + " is not a value of enum '"
                     + e->name + "'");
      return false;
    }
    return true;
  }
  if (std::holds_alternative<senum_def>(d))
    return v.kind == const_kind::string || mismatch(t, v);
  if (auto* s = std::get_if<struct_def>(&d))
    return check_struct(file, t, *s, v);
  return mismatch(t, v);
}

/// A struct const is a map from field names to field values.
bool const_checker::check_struct(const std::string& file, const type_ref& t,
                                 const struct_def& s, const_value& v) {
  if (v.kind != const_kind::map)
    return mismatch(t, v);
  bool ok = true;
  for (auto& e : v.map) {
    auto i = e.key.kind == const_kind::string ? s.find(e.key.text) : npos;
    if (i == npos) {
      error(e.key.loc, describe(e.key) + " is not a field of "
                         + struct_word(s.kind) + " '" + s.name + "'");
      ok = false;
      continue;
    }
    ok = check(file, s.fields[i].type, e.value) && ok;
  }
  return ok;
}

bool const_checker::check_identifier(const std::string& file, const type_ref& t,
                                     const_value& v) {
  v.target = find_value(file, v.text, t);
  if (!v.target.resolved()) {
    error(v.loc, "unknown identifier '" + v.text + "'");
    return false;
  }
  if (v.target.value != npos)
    return check_enum_value(t, v);
  auto* c = std::get_if<const_def>(mutable_lookup(v.target));
  if (c == nullptr) {
    error(v.loc, "'" + v.text + "' is a "
                   + std::string{kind_name(*lookup(result_, v.target))}
                   + ", not a constant");
    return false;
  }
  if (std::find(active_.begin(), active_.end(), &c->value) != active_.end()) {
    cycle_ = quiet_ > 0; // the outermost reference reports it
    error(v.loc, "const '" + v.text + "' is part of a reference cycle");
    return false;
  }
  active_.push_back(&c->value);
  ++quiet_;
  bool ok = check(v.target.file, t, c->value);
  --quiet_;
  active_.pop_back();
  if (!ok && quiet_ == 0) {
    error(v.loc, "const '" + v.text
                   + (cycle_ ? "' is part of a reference cycle"
                             : "' does not fit type " + to_string(t)));
    cycle_ = false;
  }
  return ok;
}

/// An enum value fits its own enum and, as a number, integer types.
bool const_checker::check_enum_value(const type_ref& t, const_value& v) {
  auto& type = true_type(result_, t);
  if (type.kind == type_kind::named) {
    auto& target = type.target;
    if (target.file == v.target.file && target.index == v.target.index)
      return true;
    return mismatch(t, v);
  }
  int_range range{};
  auto* value = lookup_enum_value(result_, v.target);
  if (type.kind != type_kind::base || type.base == base_type::bool_
      || !range_of(type.base, range))
    return mismatch(t, v);
  if (value->value < range.min || value->value > range.max) {
    error(v.loc, "value " + std::to_string(value->value) + " of '" + v.text
                   + "' out of range for " + to_string(t));
    return false;
  }
  return true;
}

/// `name` as a const, `Enum.VALUE`, or, where an enum is expected, a bare
/// value of that enum; each possibly behind an include prefix.
definition_ref const_checker::find_value(const std::string& file,
                                         const std::string& name,
                                         const type_ref& expected) const {
  auto ref = symbols_.find(file, name);
  if (ref.resolved())
    return ref; // kind checked by the caller
  auto dot = name.rfind('.');
  auto& type = true_type(result_, expected);
  if (dot == std::string::npos) {
    if (type.kind == type_kind::named)
      ref = type.target;
  } else {
    ref = symbols_.find(file, name.substr(0, dot));
  }
  auto* e = std::get_if<enum_def>(lookup(result_, ref));
  auto value = e != nullptr ? e->find(name.substr(dot + 1)) : npos;
  if (value == npos)
    return {};
  ref.value = value;
  return ref;
}

} // namespace

void check_consts(parse_result& r, const symbols& syms,
                  std::vector<diagnostic>& diags) {
  const_checker{r, syms, diags}.run();
}

} // namespace kitex::idl
