#include "engine/db/cursor_reader.h"

namespace slate::engine::db {

namespace {
constexpr int batch_rows = 1000; // two batches per cursor are held: the current one and the next
}

CursorReader::CursorReader(Connection& c, std::string name, std::string_view sql, const Params& params,
                           std::mutex& connection_lock)
    : m_c(c), m_name(std::move(name)), m_lock(connection_lock) {
    {
        std::lock_guard lock(m_lock);
        m_c.exec("DECLARE " + m_name + " NO SCROLL CURSOR FOR " + std::string(sql), params);
    }
    m_batch = fetch();
    read_ahead();
}

CursorReader::~CursorReader() {
    try {
        if (m_next.valid())
            m_next.wait(); // the connection is free once the read ahead has ended
        std::lock_guard lock(m_lock);
        if (m_c.healthy())
            m_c.exec("CLOSE " + m_name);
    } catch (...) {
        // The transaction failed already: it closes the cursor when it rolls back.
    }
}

Result CursorReader::fetch() {
    std::lock_guard lock(m_lock);
    return m_c.exec("FETCH FORWARD " + std::to_string(batch_rows) + " FROM " + m_name);
}

void CursorReader::read_ahead() {
    if (m_batch.rows() == batch_rows) // a shorter batch was the last
        m_next = std::async(std::launch::async, [this] { return fetch(); });
}

void CursorReader::next_batch() {
    if (!m_next.valid())
        return; // the rows have ended: done() stays true
    m_batch = m_next.get(); // rethrows what the fetch threw
    m_row = 0;
    read_ahead();
}

} // namespace slate::engine::db
