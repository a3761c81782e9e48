#pragma once
// api/fwd.h: forward declarations of the HTTP front's types.

namespace slate::api {
class Request;
struct Reply;
class Router;
struct Route;
struct Services;
class Server;
} // namespace slate::api
