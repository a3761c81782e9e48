#include "engine/db/cursor_reader.h"

namespace slate::engine::db {

namespace {
constexpr const char* batch_rows = "2000";
}

CursorReader::CursorReader(Connection& c, std::string name, std::string_view sql, const Params& params)
    : m_c(c), m_name(std::move(name)) {
    m_c.exec("DECLARE " + m_name + " NO SCROLL CURSOR FOR " + std::string(sql), params);
    fetch();
}

CursorReader::~CursorReader() {
    try {
        if (m_c.healthy())
            m_c.exec("CLOSE " + m_name);
    } catch (...) {
        // The transaction failed already: it closes the cursor when it rolls back.
    }
}

void CursorReader::fetch() {
    m_batch = m_c.exec("FETCH FORWARD " + std::string(batch_rows) + " FROM " + m_name);
    m_row = 0;
}

} // namespace slate::engine::db
