// Reading ahead a table's leaf pages for a cold reopening (docs/storage.md, "Reopening from
// a cold cache"): the case rows lie in leaf pages scattered among the event pages, and SQLite
// reads them one at a time, each waiting for the disk. Walking the table's few interior pages
// by hand names every leaf, and asking the kernel for them all at once (posix_fadvise
// WILLNEED) lets the disk serve them in parallel, ahead of SQLite, without reading the event
// pages in between.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

namespace workflow::detail {

// A run of pages to read ahead: [first, first + count), 1-based SQLite page numbers.
struct PageRun {
  std::uint32_t first = 0;
  std::uint32_t count = 0;
};

// The leaf pages of the table B-tree rooted at `root`, in key order, as runs (neighbours and
// gaps of at most `max_gap` pages merged: a page too many costs less than another request).
// The default merges only a one-page hole: case rows lie every 3-5 pages among the events, so
// a gap of 4 merged nearly the whole file into a few huge runs, read in full (4 times the
// rows) and slower: a cold reopening of 1M cases took 2.9-3.9 s instead of 1.1-1.3 s.
// Reads the interior pages from `fd` with pread, as the file holds them: pages newer in a
// -wal may be missed or misread, which only makes the hint worse, never a read wrong (SQLite
// reads the rows). Stops early, returning what it has, on anything unexpected.
std::vector<PageRun> table_leaf_runs(int fd, std::uint32_t page_size, std::uint32_t root,
                                     std::uint32_t max_gap = 1);

// Asks the kernel to read the runs into the page cache, in order, until `stop`.
void read_ahead(int fd, std::uint32_t page_size, const std::vector<PageRun>& runs,
                const std::atomic<bool>& stop);

}  // namespace workflow::detail
