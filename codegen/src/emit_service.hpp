#pragma once

// Emitters of a service (see services.hpp for what is generated and how it
// is named): declarations for the header, definitions and explicit
// instantiations for the .cpp.

#include "code_writer.hpp"
#include "context.hpp"
#include "emit_types.hpp"

namespace kitex::codegen {

/// Args/result structs, the typed interface, the method descriptions, the
/// handler class, the traits and make_behavior().
void emit_service_declarations(code_writer& w, const context& ctx,
                               const idl::service_def& s);

/// The codecs of the args/result structs and method descriptions,
/// info() and make_behavior().
void emit_service_definitions(code_writer& w, const context& ctx,
                              const idl::service_def& s);

/// Explicit instantiations of the service's templates for protocol `p`.
void emit_service_instantiations(code_writer& w, const context& ctx,
                                 const idl::service_def& s, const protocol& p);

} // namespace kitex::codegen
