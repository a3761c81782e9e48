#pragma once
// engine/db/cursor_reader.h: a server-side cursor read a batch at a time, for the listings
// that stream a whole production (the memory held is two batches, whatever the answer's size).

#include "engine/db/connection.h"

#include <future>
#include <mutex>
#include <string>
#include <string_view>

namespace slate::engine::db {

/// Declares `name` for `sql` (inside the caller's transaction) and reads it in batches; `row()`
/// is the current row of `result()`. While the caller works through a batch, the next one is
/// fetched on another thread: PostgreSQL makes the rows on one core while the caller writes
/// them out on the other. Readers on the same connection pass the same `connection_lock`, which
/// keeps their fetches apart; the caller must not use the connection while a reader lives.
/// Closes the cursor when destroyed, unless the transaction has already failed.
class CursorReader {
public:
    CursorReader(Connection& c, std::string name, std::string_view sql, const Params& params,
                 std::mutex& connection_lock);
    CursorReader(const CursorReader&) = delete;
    CursorReader& operator=(const CursorReader&) = delete;
    ~CursorReader();

    bool done() const { return m_row >= m_batch.rows(); }
    const Result& result() const { return m_batch; }
    int row() const { return m_row; }
    void advance() {
        if (++m_row >= m_batch.rows())
            next_batch();
    }

private:
    Result fetch();
    void next_batch();
    void read_ahead();

    Connection& m_c;
    std::string m_name;
    std::mutex& m_lock;
    Result m_batch;
    std::future<Result> m_next; ///< the batch after m_batch, while one may follow
    int m_row = 0;
};

} // namespace slate::engine::db
