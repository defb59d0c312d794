// Every feature of the code generator in one IDL: all base types, nested
// containers of structs, maps with struct values and keys, sets, enums,
// unions, exceptions, defaults, optional and required fields, recursion
// through lists, typedefs, consts, an included file and service inheritance.
include "shared.thrift"

namespace cpp kitex_test.rich

const i32 MAX_ITEMS = 100
const i64 BIG = 5000000000
const string GREETING = "hello \"world\"\n"
const list<string> NAMES = ["a", "b"]
const map<string, i32> WEIGHTS = {"x": 1, "y": 2}
const set<i16> PRIMES = [2, 3, 5]
const shared.Color DEFAULT_COLOR = shared.Color.GREEN
const double PI = 3.25
const Status START = Status.ACTIVE
const shared.Point ORIGIN = {"x": 1, "y": MAX_ITEMS}
const uuid NIL_ID = "00112233-4455-6677-8899-aabbccddeeff"

/// A status; BANNED is far from the others.
enum Status {
  ACTIVE = 1,
  INACTIVE = 2,
  BANNED = 10,
}

typedef i64 Timestamp
// A typedef of a struct defined further down.
typedef list<Item> ItemList
typedef map<string, Item> ItemMap

struct AllBase {
  1: bool b,
  2: byte by,
  3: i8 small,
  4: i16 i16v,
  5: i32 i32v,
  6: i64 i64v,
  7: double d,
  8: string s,
  9: binary bin,
  10: uuid id,
}

/// An item of the store.
struct Item {
  1: required i64 id,
  2: optional string name,
  3: Status status = Status.ACTIVE,
  4: shared.Point where,
  5: Timestamp created = 42,
  6: list<string> tags = ["new"],
  7: shared.Point corner = ORIGIN,
}

union Value {
  1: i64 number,
  2: string text,
  3: Item item,
  4: list<Value> many,
}

struct Tree {
  1: string label,
  2: list<Tree> children,
  3: optional map<string, Tree> named,
}

struct Rich {
  1: AllBase base,
  2: list<Item> items,
  3: ItemMap by_name,
  4: set<string> labels,
  5: map<i32, list<map<string, set<i64>>>> nested,
  6: list<list<Item>> grid,
  7: map<Status, string> status_names,
  8: optional Value value,
  9: Tree tree,
  10: ItemList item_list,
  11: set<shared.Point> points,
  12: map<shared.Point, string> point_names,
  13: list<bool> flags,
  14: optional shared.Color color = shared.Color.RED,
  15: required string req_text,
  16: list<binary> blobs,
  17: map<string, list<Item>> groups,
}

struct Empty {
}

exception NotFound {
  1: string what,
  2: i64 id,
}

exception Invalid {
  1: string reason,
}

service ItemService extends shared.BaseService {
  /// Looks an item up.
  Item Get(1: i64 id) throws (1: NotFound not_found, 2: Invalid invalid),
  list<Item> List(1: set<Status> statuses, 2: i32 limit),
  void Put(1: Item item) throws (1: Invalid invalid),
  oneway void Touch(1: i64 id),
  Rich Echo(1: Rich r),
  map<string, list<Item>> Group(1: ItemList items),
  bool Ping(),
  Empty Nothing(1: Empty e),
}
