// Included by rich.thrift: types and a base service from another file and
// another C++ namespace.
namespace cpp kitex_test.shared

enum Color {
  RED,
  GREEN = 5,
  BLUE,
}

struct Point {
  1: i32 x,
  2: i32 y,
}

exception SharedError {
  1: string message,
}

service BaseService {
  string Version() throws (1: SharedError err),
}
