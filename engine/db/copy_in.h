#pragma once
// engine/db/copy_in.h: rows streamed into a table with COPY … FROM STDIN (text format), for
// bulk loads: one statement for any number of rows, sent in large pieces.

#include "engine/db/connection.h"

#include <string>
#include <string_view>
#include <vector>

namespace slate::engine::db {

/// One COPY into `table (columns…)`. Write each row field by field (as many fields as
/// columns, then end_row), then finish(). Destroyed unfinished, the COPY is abandoned (its rows
/// refused) so that the enclosing transaction can roll back.
class CopyIn {
public:
    CopyIn(Connection& connection, std::string_view table, const std::vector<std::string>& columns);
    CopyIn(const CopyIn&) = delete;
    CopyIn& operator=(const CopyIn&) = delete;
    ~CopyIn();

    /// A value in PostgreSQL's text form (escaped here).
    CopyIn& field(std::string_view value);
    CopyIn& field(long long value);
    CopyIn& null();
    void end_row();
    /// Sends what is left and ends the COPY; throws when the server refuses the rows.
    void finish();

    long long rows() const { return m_rows; }

private:
    void separate();

    Connection& m_connection;
    std::string m_buffer;
    std::size_t m_columns;
    std::size_t m_fields = 0;
    long long m_rows = 0;
    bool m_open = true;
};

} // namespace slate::engine::db
