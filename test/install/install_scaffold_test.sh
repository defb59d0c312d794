#!/usr/bin/env bash
# The install and scaffold story, end to end (a ctest test, label "install"):
#
#   test/install/install_scaffold_test.sh BUILD_DIR CMAKE SOURCE_DIR
#
# 1. `cmake --install BUILD_DIR` into a temporary prefix;
# 2. the installed `kitex-actor -service demo` on a copy of the echo IDL;
#    the user implements Echo, the IDL gains a method Ping, and kitex-actor
#    runs again: it must append Ping's stub and keep the user's code;
# 3. the project is configured against the prefix (CMAKE_PREFIX_PATH, Ninja)
#    and built;
# 4. the server starts on a port of its choosing, answers Echo (the user's
#    code) and Ping (the appended stub) in Thrift Binary, and exits 0 on
#    SIGTERM;
# 5. a project that calls kitex_generate() from the installed package
#    (test/install/kitex_generate_project) builds.
#
# It builds nothing in BUILD_DIR: the install_scaffold_build test, a fixture
# of this one, builds what `cmake --install` copies. The compilers and the
# ninja of BUILD_DIR are used. KITEX_TEST_JOBS sets the build parallelism
# (default 1). Temporary files are removed on exit, whatever happens.
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 BUILD_DIR CMAKE SOURCE_DIR" >&2
  exit 2
fi
build=$1
cmake=$2
src=$3
jobs=${KITEX_TEST_JOBS:-1}

work=$(mktemp -d "${TMPDIR:-/tmp}/kitex_install_test.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

step() { echo "== install_scaffold: $*"; }

fail() {
  echo "install_scaffold: FAILED: $*" >&2
  exit 1
}

# run LOG CMD...: CMD's output goes to LOG, shown only if CMD fails.
run() {
  local log=$1
  shift
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    fail "$*"
  fi
}

# The value of a CMake cache entry of BUILD_DIR (empty if there is none).
cache_value() {
  sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt" | head -n 1
}

# Configure arguments that build with the toolchain of BUILD_DIR, with Ninja.
configure_args=(-G Ninja)
for var in CMAKE_C_COMPILER CMAKE_CXX_COMPILER; do
  value=$(cache_value "$var")
  if [ -n "$value" ]; then configure_args+=("-D$var=$value"); fi
done
if [ "$(cache_value CMAKE_GENERATOR)" = Ninja ]; then
  configure_args+=("-DCMAKE_MAKE_PROGRAM=$(cache_value CMAKE_MAKE_PROGRAM)")
fi

prefix=$work/prefix
step "cmake --install into $prefix"
run "$work/install.log" "$cmake" --install "$build" --prefix "$prefix"
kitex_actor=$prefix/bin/kitex-actor
[ -x "$kitex_actor" ] || fail "the prefix has no bin/kitex-actor"

step "kitex-actor -service demo"
mkdir "$work/idl"
idl=$work/idl/echo.thrift
cp "$src/examples/echo/echo.thrift" "$idl"
cd "$work"
run "$work/scaffold.log" "$kitex_actor" -service demo -o demo idl/echo.thrift
for f in CMakeLists.txt main.cpp handler.cpp README.md kitex_gen/echo.kitex.hpp \
         kitex_gen/echo.kitex.cpp kitex_gen/echo_server_handler.hpp; do
  [ -f "demo/$f" ] || fail "kitex-actor -service wrote no $f"
done

step "the user implements Echo; the IDL gains Ping; kitex-actor again"
sed -i 's|^  return ::echo::Response{};$|  return ::echo::Response{req.action, req.msg};|' \
  demo/handler.cpp
grep -q 'Response{req.action, req.msg}' demo/handler.cpp \
  || fail "handler.cpp has no Echo stub to implement"
cp demo/handler.cpp "$work/handler.mine"
sed -i 's|^\( *\)oneway void Notify|\1string Ping(),\n&|' "$idl"
grep -q 'string Ping()' "$idl" || fail "could not add Ping to the IDL"
run "$work/rescaffold.log" "$kitex_actor" -service demo -o demo idl/echo.thrift
grep -q 'handler.cpp: appended stubs for Ping' "$work/rescaffold.log" \
  || { cat "$work/rescaffold.log" >&2; fail "no stub appended for Ping"; }
cmp -s -n "$(stat -c %s "$work/handler.mine")" "$work/handler.mine" \
  demo/handler.cpp || fail "the user's part of handler.cpp changed"
[ "$(grep -c 'echo_server_handler::Ping()' demo/handler.cpp)" = 1 ] \
  || fail "handler.cpp should define Ping once"

step "configure and build the project against the prefix"
run "$work/configure.log" "$cmake" -S demo -B demo/build "${configure_args[@]}" \
  "-DCMAKE_PREFIX_PATH=$prefix"
grep -q "^KitexActor_DIR:PATH=$prefix/" demo/build/CMakeCache.txt \
  || fail "find_package(KitexActor) did not find the package in $prefix"
run "$work/build.log" "$cmake" --build demo/build -j "$jobs"

step "run the server"
demo/build/demo --addr=127.0.0.1:0 >"$work/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 300); do
  port=$(sed -n 's/.*server listening on .*(port \([0-9][0-9]*\)).*/\1/p' \
    "$work/server.log" | head -n 1)
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/server.log" >&2; fail "the server did not start"; }

# call REQUEST BYTES: sends REQUEST (printf escapes) on a new connection and
# prints the first BYTES bytes of the reply as hex.
call() {
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf '%b' "$1" >&3
  timeout 10 head -c "$2" <&3 | od -An -v -tx1 | tr -d ' \n'
  exec 3>&-
}

# Thrift Binary, strict, unframed: Echo({action "hi", msg "hello"}), seqid 7.
reply=$(call '\x80\x01\x00\x01\x00\x00\x00\x04Echo\x00\x00\x00\x07\x0c\x00\x01\x0b\x00\x01\x00\x00\x00\x02hi\x0b\x00\x02\x00\x00\x00\x05hello\x00\x00' 42)
# A reply, seqid 7, success (field 0): Response{action "hi", msg "hello"}.
want=80010002000000044563686f000000070c00000b0001000000026869
want+=0b00020000000568656c6c6f0000
[ "$reply" = "$want" ] || fail "Echo replied $reply, want $want"
# Ping(), seqid 8; its stub replies with an empty string.
reply=$(call '\x80\x01\x00\x01\x00\x00\x00\x04Ping\x00\x00\x00\x08\x00' 24)
want=800100020000000450696e67000000080b00000000000000
[ "$reply" = "$want" ] || fail "Ping replied $reply, want $want"

step "SIGTERM"
kill -TERM "$server_pid"
for _ in $(seq 200); do
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$server_pid" 2>/dev/null && fail "the server ignored SIGTERM for 20 s"
code=0
wait "$server_pid" || code=$?
server_pid=""
[ "$code" = 0 ] || { cat "$work/server.log" >&2; fail "the server exited $code"; }

step "kitex_generate() from the installed package"
run "$work/gen-configure.log" "$cmake" \
  -S "$src/test/install/kitex_generate_project" -B "$work/gen" \
  "${configure_args[@]}" "-DCMAKE_PREFIX_PATH=$prefix" "-DECHO_IDL=$idl"
run "$work/gen-build.log" "$cmake" --build "$work/gen" -j "$jobs"
[ -f "$work/gen/kitex_gen/echo_idl/echo.kitex.hpp" ] \
  || fail "kitex_generate() generated no echo.kitex.hpp"
grep -q 'struct ping_args' "$work/gen/kitex_gen/echo_idl/echo.kitex.hpp" \
  || fail "kitex_generate() did not use the IDL it was given"

step "passed"
