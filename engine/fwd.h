#pragma once
// engine/fwd.h: forward declarations of the engine's types, for headers that only name them.

#include <memory>

namespace slate {
class Error;
}

namespace slate::engine {
struct Config;
class JsonWriter;
}

namespace slate::engine::db {
class Connection;
class Result;
class Pool;
class Lease;
class Transaction;
class EmbeddedCluster;
struct ConnectionSettings;
}

namespace slate::engine::auth {
struct TokenClaims;
class TokenService;
}
