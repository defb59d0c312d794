#pragma once

// The two files generated per IDL file: the header (types, services, the
// CAF type-ID block) and the source (codecs, printing, service info,
// explicit instantiations per protocol).

#include <cstdint>
#include <string>
#include <vector>

#include "context.hpp"

namespace kitex::codegen {

/// The C++ types of `ctx.prog` that get a CAF type ID: its structs, unions
/// and exceptions and the args structs of its methods (qualified names).
std::vector<std::string> type_id_types(const context& ctx);

/// `<name>.kitex.hpp`, its type-ID block starting at `first_type_id`.
std::string emit_header(const context& ctx, uint32_t first_type_id);

/// `<name>.kitex.cpp`.
std::string emit_source(const context& ctx);

} // namespace kitex::codegen
