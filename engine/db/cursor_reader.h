#pragma once
// engine/db/cursor_reader.h: a server-side cursor read a batch at a time, for the listings
// that stream a whole production (the memory held is one batch, whatever the answer's size).

#include "engine/db/connection.h"

#include <string>
#include <string_view>

namespace slate::engine::db {

/// Declares `name` for `sql` (inside the caller's transaction) and reads it in batches; `row()`
/// is the current row of `result()`. Closes the cursor when destroyed, unless the transaction
/// has already failed.
class CursorReader {
public:
    CursorReader(Connection& c, std::string name, std::string_view sql, const Params& params);
    CursorReader(const CursorReader&) = delete;
    CursorReader& operator=(const CursorReader&) = delete;
    ~CursorReader();

    bool done() const { return m_row >= m_batch.rows(); }
    const Result& result() const { return m_batch; }
    int row() const { return m_row; }
    void advance() {
        if (++m_row >= m_batch.rows() && m_batch.rows() > 0)
            fetch();
    }

private:
    void fetch();

    Connection& m_c;
    std::string m_name;
    Result m_batch;
    int m_row = 0;
};

} // namespace slate::engine::db
