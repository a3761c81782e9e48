#include "engine/db/copy_in.h"

namespace slate::engine::db {

namespace {
constexpr std::size_t flush_size = 1 << 20;
}

CopyIn::CopyIn(Connection& connection, std::string_view table, const std::vector<std::string>& columns)
    : m_connection(connection), m_columns(columns.size()) {
    std::string sql = "COPY " + quote_identifier(table) + " (";
    for (std::size_t i = 0; i < columns.size(); ++i)
        sql += (i ? ", " : "") + quote_identifier(columns[i]);
    sql += ") FROM STDIN";
    m_connection.copy_begin(sql);
    m_buffer.reserve(flush_size + 4096);
}

CopyIn::~CopyIn() {
    if (m_open)
        m_connection.copy_abort();
}

void CopyIn::separate() {
    if (m_fields++)
        m_buffer.push_back('\t');
}

CopyIn& CopyIn::field(std::string_view value) {
    separate();
    for (char c : value) {
        switch (c) {
        case '\\': m_buffer += "\\\\"; break;
        case '\t': m_buffer += "\\t"; break;
        case '\n': m_buffer += "\\n"; break;
        case '\r': m_buffer += "\\r"; break;
        default: m_buffer.push_back(c);
        }
    }
    return *this;
}

CopyIn& CopyIn::field(long long value) {
    separate();
    m_buffer += std::to_string(value);
    return *this;
}

CopyIn& CopyIn::null() {
    separate();
    m_buffer += "\\N";
    return *this;
}

void CopyIn::end_row() {
    if (m_fields != m_columns)
        throw Error(ErrorKind::internal, "COPY row of " + std::to_string(m_fields) + " fields for " +
                                             std::to_string(m_columns) + " columns");
    m_buffer.push_back('\n');
    m_fields = 0;
    ++m_rows;
    if (m_buffer.size() >= flush_size) {
        m_connection.copy_send(m_buffer);
        m_buffer.clear();
    }
}

void CopyIn::finish() {
    if (!m_buffer.empty())
        m_connection.copy_send(m_buffer);
    m_buffer.clear();
    m_open = false;
    m_connection.copy_end();
}

} // namespace slate::engine::db
