#include "engine/db/connection.h"

#include "engine/db/change_feed.h"
#include "engine/log.h"

#include <libpq-fe.h>

#include <poll.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <unordered_map>

namespace slate::engine::db {

// --- Result -----------------------------------------------------------------------------

void Result::Deleter::operator()(void* result) const {
    PQclear(static_cast<PGresult*>(result));
}

Result::Result() = default;
Result::Result(void* pg_result) : m_result(pg_result) {}
Result::Result(Result&&) noexcept = default;
Result& Result::operator=(Result&&) noexcept = default;
Result::~Result() = default;

static PGresult* pg(const std::unique_ptr<void, Result::Deleter>& r) {
    return static_cast<PGresult*>(r.get());
}

int Result::rows() const {
    return m_result ? PQntuples(pg(m_result)) : 0;
}
int Result::columns() const {
    return m_result ? PQnfields(pg(m_result)) : 0;
}
std::string_view Result::column_name(int column) const {
    return PQfname(pg(m_result), column);
}
unsigned Result::column_type(int column) const {
    return PQftype(pg(m_result), column);
}

int Result::column_index(std::string_view name) const {
    // Called per row and field by the writers: compare in place, without measuring each name.
    const int count = columns();
    for (int c = 0; c < count; ++c) {
        const char* column = PQfname(pg(m_result), c);
        if (std::strncmp(column, name.data(), name.size()) == 0 && column[name.size()] == '\0')
            return c;
    }
    return -1;
}

bool Result::is_null(int row, int column) const {
    return PQgetisnull(pg(m_result), row, column);
}

std::string_view Result::get(int row, int column) const {
    return {PQgetvalue(pg(m_result), row, column), static_cast<std::size_t>(PQgetlength(pg(m_result), row, column))};
}

static int require_column(const Result& result, std::string_view name) {
    const int column = result.column_index(name);
    if (column < 0)
        throw Error(ErrorKind::internal, "query result has no column " + std::string(name));
    return column;
}

std::string_view Result::get(int row, std::string_view name) const {
    return get(row, require_column(*this, name));
}

std::optional<std::string> Result::optional(int row, std::string_view name) const {
    const int column = require_column(*this, name);
    if (is_null(row, column))
        return std::nullopt;
    return std::string(get(row, column));
}

bool Result::get_bool(int row, std::string_view name) const {
    const int column = require_column(*this, name);
    return !is_null(row, column) && get(row, column) == "t";
}

int64_t Result::get_int(int row, std::string_view name) const {
    const int column = require_column(*this, name);
    if (is_null(row, column))
        return 0;
    const std::string_view text = get(row, column);
    int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    // A column that is not an integer (a numeric with decimals, text) is a programming error,
    // not a silent 0.
    if (error != std::errc() || end != text.data() + text.size())
        throw Error(ErrorKind::internal, "column " + std::string(name) + " is not an integer: " + std::string(text));
    return value;
}

int64_t Result::affected() const {
    const char* text = m_result ? PQcmdTuples(pg(m_result)) : "";
    return *text ? std::stoll(text) : 0;
}

// --- Settings ---------------------------------------------------------------------------

static std::string conninfo_value(const std::string& value) {
    std::string quoted = "'";
    for (char c : value) {
        if (c == '\'' || c == '\\')
            quoted.push_back('\\');
        quoted.push_back(c);
    }
    return quoted + "'";
}

std::string ConnectionSettings::conninfo() const {
    std::string info = "host=" + conninfo_value(host) + " port=" + std::to_string(port) +
                       " user=" + conninfo_value(user) + " dbname=" + conninfo_value(database) +
                       " connect_timeout=10 application_name=slate";
    if (!password.empty())
        info += " password=" + conninfo_value(password);
    return info;
}

ConnectionSettings ConnectionSettings::with_database(std::string name) const {
    ConnectionSettings copy = *this;
    copy.database = std::move(name);
    return copy;
}

// --- Connection -------------------------------------------------------------------------

struct Connection::Handle {
    PGconn* conn = nullptr;
    std::unordered_map<std::string, std::string> prepared; ///< SQL text → statement name
    ~Handle() {
        if (conn)
            PQfinish(conn);
    }
};

Connection::Connection(const ConnectionSettings& settings) : m_handle(std::make_unique<Handle>()) {
    m_handle->conn = PQconnectdb(settings.conninfo().c_str());
    if (PQstatus(m_handle->conn) != CONNECTION_OK) {
        std::string reason = PQerrorMessage(m_handle->conn);
        while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' '))
            reason.pop_back();
        throw Error(ErrorKind::unavailable, "Database doesn't seem reachable: " + reason);
    }
    // Zou stores naive UTC timestamps; make now() and friends agree whatever the server says.
    // No JIT: our statements are short and many; LLVM compiling one large listing (the
    // planner's cost trips jit_above_cost on big productions) costs seconds, its run milliseconds.
    PQclear(PQexec(m_handle->conn, "SET TIME ZONE 'UTC'; SET jit = off"));
    PQsetNoticeProcessor(
        m_handle->conn, [](void*, const char*) {}, nullptr);
}

Connection::~Connection() = default;

bool Connection::healthy() const {
    return PQstatus(m_handle->conn) == CONNECTION_OK;
}

// SQLSTATE → what the client is told: the texts Zou sanitises database errors into.
[[noreturn]] static void throw_for(PGresult* result, PGconn* conn) {
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    std::string sqlstate = state ? state : "";
    std::string detail = result ? PQresultErrorMessage(result) : PQerrorMessage(conn);
    if (result)
        PQclear(result);
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' '))
        detail.pop_back();
    if (sqlstate == "23505")
        throw DbError(ErrorKind::bad_request, "A record with the same unique values already exists.", sqlstate);
    if (sqlstate == "23503")
        throw DbError(ErrorKind::bad_request, "The change conflicts with records referencing this one.", sqlstate);
    if (sqlstate == "23502")
        throw DbError(ErrorKind::bad_request, "A required field is missing.", sqlstate);
    if (sqlstate.rfind("23", 0) == 0)
        throw DbError(ErrorKind::bad_request, "The data conflicts with database integrity rules.", sqlstate);
    if (sqlstate.rfind("22", 0) == 0)
        throw DbError(ErrorKind::bad_request, "One of the provided values has an invalid format.", sqlstate);
    if (sqlstate.rfind("08", 0) == 0 || sqlstate.empty())
        throw DbError(ErrorKind::unavailable, "Database doesn't seem reachable.", sqlstate);
    log::error("database error " + sqlstate + ": " + detail);
    throw DbError(ErrorKind::internal, "Internal server error.", sqlstate);
}

/// The parameters as libpq takes them (null for SQL NULL).
static std::vector<const char*> c_strings(const Params& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params)
        values.push_back(p ? p->c_str() : nullptr);
    return values;
}

Result Connection::exec(std::string_view sql, const Params& params) {
    const std::vector<const char*> values = c_strings(params);
    const std::string text(sql);
    return checked(PQexecParams(m_handle->conn, text.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                                nullptr, nullptr, 0));
}

Result Connection::checked(void* pg_result) {
    auto* result = static_cast<PGresult*>(pg_result);
    const auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        throw_for(result, m_handle->conn);
    const std::string_view command = PQcmdStatus(result);
    for (std::string_view writing : {"INSERT", "UPDATE", "DELETE", "COPY", "MERGE", "TRUNCATE"})
        if (command.starts_with(writing)) {
            // Reads later in this transaction must not be answered from a cache (and what they
            // read must not outlive a rollback: the pool marks the change again at the end).
            m_wrote = true;
            if (m_feed) { // a pool's connection: the lease's reads are not kept until it ends
                ChangeFeed::set_thread_wrote(true);
                m_feed->everything_changed();
            }
            break;
        }
    return Result(result);
}

Result Connection::exec_prepared(std::string_view sql, const Params& params) {
    std::string text(sql);
    auto found = m_handle->prepared.find(text);
    if (found == m_handle->prepared.end()) {
        const std::string name = "slate_" + std::to_string(m_handle->prepared.size());
        PGresult* prepared = PQprepare(m_handle->conn, name.c_str(), text.c_str(), 0, nullptr);
        if (!prepared || PQresultStatus(prepared) != PGRES_COMMAND_OK)
            throw_for(prepared, m_handle->conn);
        PQclear(prepared);
        found = m_handle->prepared.emplace(std::move(text), name).first;
    }
    const std::vector<const char*> values = c_strings(params);
    return checked(PQexecPrepared(m_handle->conn, found->second.c_str(), static_cast<int>(values.size()), values.data(),
                                  nullptr, nullptr, 0));
}

bool Connection::in_transaction() const {
    const auto status = PQtransactionStatus(m_handle->conn);
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

std::vector<Notification> Connection::wait_for_notifications(int timeout_ms) {
    PGconn* conn = m_handle->conn;
    auto lost = [conn]() -> std::vector<Notification> {
        throw Error(ErrorKind::unavailable, std::string("Database connection lost: ") + PQerrorMessage(conn));
    };
    if (PQstatus(conn) != CONNECTION_OK)
        return lost();
    pollfd waiting{PQsocket(conn), POLLIN, 0};
    const int ready = ::poll(&waiting, 1, timeout_ms);
    if (ready < 0 && errno != EINTR)
        return lost();
    if (ready > 0 && !PQconsumeInput(conn))
        return lost();
    std::vector<Notification> received;
    while (PGnotify* notify = PQnotifies(conn)) {
        received.push_back({notify->relname, notify->extra ? notify->extra : ""});
        PQfreemem(notify);
    }
    return received;
}

void Connection::exec_script(std::string_view sql) {
    m_wrote = true; // migrations, init-data, resets
    const std::string text(sql);
    PGresult* result = PQexec(m_handle->conn, text.c_str());
    const auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
        std::string detail = result ? PQresultErrorMessage(result) : PQerrorMessage(m_handle->conn);
        if (result)
            PQclear(result);
        throw Error(ErrorKind::internal, "SQL script failed: " + detail);
    }
    PQclear(result);
}

void Connection::copy_begin(std::string_view sql) {
    const std::string text(sql);
    PGresult* result = PQexec(m_handle->conn, text.c_str());
    if (!result || PQresultStatus(result) != PGRES_COPY_IN)
        throw_for(result, m_handle->conn);
    PQclear(result);
}

void Connection::copy_send(std::string_view data) {
    if (PQputCopyData(m_handle->conn, data.data(), static_cast<int>(data.size())) != 1)
        throw Error(ErrorKind::unavailable, std::string("COPY failed: ") + PQerrorMessage(m_handle->conn));
}

void Connection::copy_end() {
    if (PQputCopyEnd(m_handle->conn, nullptr) != 1)
        throw Error(ErrorKind::unavailable, std::string("COPY failed: ") + PQerrorMessage(m_handle->conn));
    // The COPY's own result, then the null that ends the command.
    std::optional<Result> outcome;
    while (PGresult* result = PQgetResult(m_handle->conn)) {
        if (PQresultStatus(result) != PGRES_COMMAND_OK) {
            while (PGresult* rest = PQgetResult(m_handle->conn))
                PQclear(rest);
            throw_for(result, m_handle->conn);
        }
        outcome.emplace(checked(result)); // marks the connection as having written
    }
}

void Connection::copy_abort() noexcept {
    PQputCopyEnd(m_handle->conn, "abandoned");
    while (PGresult* result = PQgetResult(m_handle->conn))
        PQclear(result);
}

// --- Transaction ------------------------------------------------------------------------

Transaction::Transaction(Connection& connection) : m_connection(connection), m_nested(connection.in_transaction()) {
    m_connection.exec(m_nested ? "SAVEPOINT slate_nested" : "BEGIN");
}

Transaction::~Transaction() {
    if (m_done)
        return;
    try {
        if (m_nested) {
            m_connection.exec("ROLLBACK TO SAVEPOINT slate_nested");
            m_connection.exec("RELEASE SAVEPOINT slate_nested");
        } else
            m_connection.exec("ROLLBACK");
    } catch (...) {
        // The connection is gone; the server has rolled back already.
    }
}

void Transaction::commit() {
    m_connection.exec(m_nested ? "RELEASE SAVEPOINT slate_nested" : "COMMIT");
    m_done = true;
}

std::string quote_identifier(std::string_view name) {
    std::string quoted = "\"";
    for (char c : name) {
        if (c == '"')
            quoted.push_back('"');
        quoted.push_back(c);
    }
    return quoted + "\"";
}

} // namespace slate::engine::db
