#pragma once
// engine/db/connection.h: a PostgreSQL connection and its results, over libpq.
// libpq rather than Poco Data for the whole engine: results stay as PostgreSQL's text with
// their type oids, which the serialiser turns into Zou's JSON without a Dynamic::Var per
// value, and LISTEN/NOTIFY and COPY are available where later work needs them.

#include "engine/error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace slate::engine::db {

/// A query parameter in PostgreSQL's text form; nullopt is SQL NULL.
using Param = std::optional<std::string>;
using Params = std::vector<Param>;

/// A database error a client may have caused, carrying PostgreSQL's SQLSTATE.
class DbError : public Error {
public:
    DbError(ErrorKind kind, const std::string& message, std::string sqlstate)
        : Error(kind, message), m_sqlstate(std::move(sqlstate)) {}
    const std::string& sqlstate() const { return m_sqlstate; }

private:
    std::string m_sqlstate;
};

/// Well-known type oids, for the serialiser.
namespace oid {
constexpr unsigned boolean = 16, bytea = 17, int8 = 20, int2 = 21, int4 = 23, text = 25, json = 114, float4 = 700,
                   float8 = 701, varchar = 1043, date = 1082, timestamp = 1114, timestamptz = 1184, numeric = 1700,
                   uuid = 2950, jsonb = 3802, text_array = 1009, varchar_array = 1015;
} // namespace oid

/// The rows of one statement. Values are views into libpq's memory, valid while the Result
/// lives.
class Result {
public:
    Result();
    explicit Result(void* pg_result); // adopts a PGresult*
    Result(Result&&) noexcept;
    Result& operator=(Result&&) noexcept;
    ~Result();

    int rows() const;
    int columns() const;
    std::string_view column_name(int column) const;
    int column_index(std::string_view name) const; ///< -1 when absent
    unsigned column_type(int column) const;
    bool is_null(int row, int column) const;
    std::string_view get(int row, int column) const;
    std::string_view get(int row, std::string_view column_name) const;
    std::optional<std::string> optional(int row, std::string_view column_name) const;
    bool get_bool(int row, std::string_view column_name) const;
    int64_t get_int(int row, std::string_view column_name) const;
    // By name only: a column number would become a null name (0 converts to a null char*) and
    // crash at run time. These make such a call a compile error.
    std::optional<std::string> optional(int row, int column) const = delete;
    bool get_bool(int row, int column) const = delete;
    int64_t get_int(int row, int column) const = delete;
    /// Rows changed by an INSERT/UPDATE/DELETE.
    int64_t affected() const;

    struct Deleter {
        void operator()(void* result) const;
    };

private:
    std::unique_ptr<void, Deleter> m_result;
};

/// What is needed to open a connection.
struct ConnectionSettings {
    std::string host; ///< a host name, or a socket directory (starts with '/')
    int port = 5432;
    std::string user;
    std::string password;
    std::string database;

    std::string conninfo() const;
    ConnectionSettings with_database(std::string name) const;
};

class ChangeFeed;

/// A NOTIFY received on a LISTENing connection.
struct Notification {
    std::string channel;
    std::string payload;
};

/// One open connection. Not thread-safe: one user at a time (the pool hands out leases).
class Connection {
public:
    explicit Connection(const ConnectionSettings& settings);
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    /// Runs one statement with $1.. parameters. Throws DbError translated from SQLSTATE.
    Result exec(std::string_view sql, const Params& params = {});
    /// The same, for the hot statements every request runs: parsed and planned once per
    /// connection (a fixed text; its parameters' types given by casts in the text).
    Result exec_prepared(std::string_view sql, const Params& params = {});
    /// Runs several statements at once (migrations); no parameters.
    void exec_script(std::string_view sql);
    /// Bulk loading (COPY … FROM STDIN, text format): starts the COPY statement `sql`, sends
    /// data in any pieces, ends it (throws DbError as exec does when the server refuses the
    /// rows). CopyIn (engine/db/copy_in.h) writes the rows.
    void copy_begin(std::string_view sql);
    void copy_send(std::string_view data);
    void copy_end();
    /// Abandons a COPY begun and not ended (the rows are refused); never throws.
    void copy_abort() noexcept;
    /// True while the connection is usable.
    bool healthy() const;
    /// True inside BEGIN … COMMIT (Transaction then nests as a savepoint).
    bool in_transaction() const;

    /// Waits up to `timeout_ms` for notifications of the channels this connection LISTENs to.
    /// Throws ErrorKind::unavailable when the connection is lost.
    std::vector<Notification> wait_for_notifications(int timeout_ms);

    /// The change feed of the database this connection belongs to (null outside a pool):
    /// what caches read to know whether a table changed.
    ChangeFeed* change_feed() const { return m_feed; }
    void set_change_feed(ChangeFeed* feed) { m_feed = feed; }
    /// Whether a statement that changes rows (INSERT, UPDATE, DELETE, COPY, …) ran since the
    /// last call; clears the mark. The pool tells the change feed when a lease that wrote ends.
    bool take_wrote() { return std::exchange(m_wrote, false); }

private:
    Result checked(void* pg_result);

    struct Handle;
    std::unique_ptr<Handle> m_handle;
    ChangeFeed* m_feed = nullptr;
    bool m_wrote = false;
};

/// A transaction on a connection: rolls back in its destructor unless committed. Inside an
/// enclosing transaction (a request's lease shared with a service) it is a savepoint, so the
/// inner work commits or rolls back with the outer.
class Transaction {
public:
    explicit Transaction(Connection& connection);
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();
    void commit();

private:
    Connection& m_connection;
    bool m_done = false;
    bool m_nested = false; ///< a savepoint inside an enclosing transaction
};

/// Quotes an SQL identifier (only ever called with names from the schema or settings).
std::string quote_identifier(std::string_view name);

} // namespace slate::engine::db
