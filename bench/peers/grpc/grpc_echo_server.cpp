// grpc: gRPC C++ echo peer on the callback API (the API grpc.io recommends
// for performance), insecure, every GRPC_ARG_* at its default. Echo replies
// {action, msg}; the streaming methods of echo.proto answer UNIMPLEMENTED.

#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <grpcpp/grpcpp.h>

#include "echo.grpc.pb.h"

namespace {

class echo_service final : public echo::EchoServer::CallbackService {
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* ctx,
                                 const echo::Request* req,
                                 echo::Response* resp) override {
    resp->set_action(req->action());
    resp->set_msg(req->msg());
    auto* reactor = ctx->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"grpc: gRPC C++ callback-API echo peer"};
  std::string addr = "127.0.0.1:9092";
  app.add_option("--addr", addr, "listen address host:port");
  CLI11_PARSE(app, argc, argv);

  echo_service service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(addr, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  auto server = builder.BuildAndStart();
  if (!server || port == 0) {
    std::fprintf(stderr, "grpc: cannot listen on %s\n", addr.c_str());
    return 1;
  }
  server->Wait();
  return 0;
}
