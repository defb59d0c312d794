#pragma once

// Values of the rich test IDL (idl/rich.thrift, generated at build time by
// kitex_generate) that use every feature at once.

#include <string>

#include "rich.kitex.hpp"

namespace kitex::test {

namespace rich = kitex_test::rich;
namespace shared = kitex_test::shared;

inline rich::Item make_item(int64_t id) {
  rich::Item x;
  x.id = id;
  x.name = "item" + std::to_string(id);
  x.status = rich::Status::BANNED;
  x.where = shared::Point{1, -2};
  x.created = 99;
  x.tags = {"a", "b"};
  return x;
}

inline rich::Tree make_tree() {
  rich::Tree leaf{"leaf", {}, std::nullopt};
  rich::Tree mid{"mid", {leaf, leaf}, std::nullopt};
  rich::Tree root{"root", {mid, leaf}, std::nullopt};
  root.named.emplace();
  root.named->emplace("m", mid);
  return root;
}

inline rich::Value make_value() {
  rich::Value number;
  number.number = 5;
  rich::Value text;
  text.text = "t";
  rich::Value item;
  item.item = make_item(7);
  rich::Value many;
  many.many = std::vector<rich::Value>{number, text, item};
  return many;
}

inline rich::Rich make_rich() {
  rich::Rich r;
  r.base = rich::AllBase{true,        -1,     127,
                         -300,        70000,  -5000000000,
                         2.5,         "text", std::string("\0\xff\x01", 3),
                         rich::NIL_ID};
  r.items = {make_item(1), make_item(2)};
  r.by_name = {{"one", make_item(1)}, {"", make_item(0)}};
  r.labels = {"x", "y"};
  r.nested = {{7, {{{"k", {1, 2, 3}}, {"e", {}}}, {}}}, {-1, {}}};
  r.grid = {{make_item(3)}, {}};
  r.status_names = {{rich::Status::ACTIVE, "on"},
                    {static_cast<rich::Status>(99), "unlisted"}};
  r.value = make_value();
  r.tree = make_tree();
  r.item_list = {make_item(5)};
  r.points = {{3, 4}, {1, 2}};
  r.point_names = {{{0, 0}, "origin"}, {{1, 1}, "one"}};
  r.flags = {true, false, true};
  r.color = shared::Color::BLUE;
  r.req_text = "required";
  r.blobs = {"", std::string(3, '\0')};
  r.groups = {{"g", {make_item(4), make_item(6)}}};
  return r;
}

} // namespace kitex::test
