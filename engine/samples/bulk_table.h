#pragma once
// engine/samples/bulk_table.h: rows COPYed into one of Zou's tables as the API would have
// written them: the columns given, and for every other column Zou's application default
// (models catalog) — the same values the CRUD service fills in.

#include "engine/db/copy_in.h"
#include "engine/fwd.h"

#include <optional>
#include <string>
#include <vector>

namespace slate::engine::samples {

class BulkTable {
public:
    /// Starts a COPY into `table`; each row then gives `columns` in that order.
    BulkTable(db::Connection& c, const Config& config, const std::string& table, std::vector<std::string> columns);

    BulkTable& field(std::string_view value) {
        m_copy->field(value);
        return *this;
    }
    BulkTable& field(long long value) {
        m_copy->field(value);
        return *this;
    }
    BulkTable& optional(const std::optional<std::string>& value) {
        value ? m_copy->field(*value) : m_copy->null();
        return *this;
    }
    BulkTable& null() {
        m_copy->null();
        return *this;
    }
    /// Adds the defaults and ends the row.
    void end_row();
    /// Ends the COPY; the number of rows written.
    long long finish();

private:
    struct Default {
        std::string value;
        bool new_id = false; ///< a fresh uuid per row
    };
    std::vector<Default> m_defaults;
    std::optional<db::CopyIn> m_copy;
};

} // namespace slate::engine::samples
