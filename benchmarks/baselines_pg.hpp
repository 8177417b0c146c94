// The raw PostgreSQL baselines of lifecycle-durable on a PostgreSQL partition: the very event
// rows the engine wrote, read back from the partition's wf_events, inserted into a scratch
// table with wf_events' own columns, keys and indexes (`CREATE TABLE ... (LIKE wf_events
// INCLUDING ALL)`), the values sent as the store sends them (integers and text as text, the
// hash as binary), one prepared INSERT per row. Each transaction's statements go in one
// libpq pipeline (BEGIN, the rows, COMMIT, one sync): the fewest round trips a client
// inserting row by row can have, so the baseline is not slowed by round trips the store
// might save.
#pragma once

#include <string>
#include <vector>

#include "baselines.hpp"

namespace bench {

// Every event row of `partition`, in log order (`events_table` is left empty).
EventLog read_pg_event_rows(const std::string& conninfo, const std::string& partition);

// Inserts `rows` into a fresh scratch table (dropped after), one transaction per group
// (groups start at `starts`, ascending, first 0), under the session's `synchronous_commit`
// ("on", "off", ...). Returns the time of the inserts alone.
RawRun raw_pg_insert(const std::string& conninfo, const std::string& partition,
                     const std::vector<EventRow>& rows, const std::vector<std::size_t>& starts,
                     const std::string& synchronous_commit);

}  // namespace bench
