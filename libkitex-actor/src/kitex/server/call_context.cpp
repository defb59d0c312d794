#include "kitex/server/call_context.hpp"

namespace kitex::server {

reply_sink::~reply_sink() = default;

call_context::~call_context() = default;

} // namespace kitex::server
