// The five workloads of workflow-bench, one function each; each returns one Result (its
// JSON line), with sub-runs nested where a workload has several configurations.
#pragma once

#include "hall.hpp"
#include "report.hpp"

namespace bench {

Result run_lifecycle_mem(const Config& cfg, const HallData& hall);     // workloads_lifecycle.cpp
Result run_lifecycle_durable(const Config& cfg, const HallData& hall); // workloads_durable.cpp
Result run_mixed(const Config& cfg, const HallData& hall);             // workloads_mixed.cpp
Result run_open_cases(const Config& cfg, const HallData& hall);        // workloads_open.cpp
Result run_recovery(const Config& cfg, const HallData& hall);          // workloads_open.cpp
Result run_export(const Config& cfg, const HallData& hall);            // workloads_export.cpp

}  // namespace bench
