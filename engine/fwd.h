#pragma once
// engine/fwd.h: forward declarations of the engine's types, for headers that only name them.

namespace slate {
class Error;
}

namespace slate::engine {
struct Config;
class JsonWriter;
class Mailer;
struct Mail;
} // namespace slate::engine

namespace slate::engine::db {
class Connection;
class Result;
class Pool;
class Lease;
class Transaction;
class EmbeddedCluster;
struct ConnectionSettings;
} // namespace slate::engine::db

namespace slate::engine::services {
struct Identity;
class AuthService;
class PasswordReset;
} // namespace slate::engine::services

namespace slate::engine::crud {
class CrudService;
struct ModelDescriptor;
} // namespace slate::engine::crud

namespace slate::engine::models {
struct Table;
struct Column;
struct Relation;
} // namespace slate::engine::models
