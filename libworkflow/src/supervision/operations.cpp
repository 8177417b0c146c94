// The hall-operations figures (tally.hpp, issue 14): how applications came (渠道) and the
// seeds' rates over it (一次不跑, 网上可办, 全程网办), and assistance (帮办) per level. Read
// from each case's view (channel, assisted) and its issue event (how the result went out).
#include "supervision/tally.hpp"

namespace workflow::detail {
namespace {

bool applied_online(SubmissionChannel c) {
  return c == SubmissionChannel::online || c == SubmissionChannel::mobile;
}

// The applicant did not come to a hall to apply: online, mobile, post, or a village agent
// went for them.
bool applied_from_home(SubmissionChannel c) {
  return applied_online(c) || c == SubmissionChannel::post ||
         c == SubmissionChannel::village_agent;
}

}  // namespace

OperationsTally::OperationsTally() {
  for (int i = 0; i <= static_cast<int>(SubmissionChannel::village_agent); ++i) {
    channels_.by_channel[std::string(to_string(static_cast<SubmissionChannel>(i)))] = 0;
  }
  channels_.assisted["county"] = 0;
  channels_.assisted["township"] = 0;
}

void OperationsTally::add(const CaseView& c) {
  ChannelFigures& ch = channels_;
  ++ch.by_channel[std::string(to_string(c.channel))];
  if (c.assisted != Assistance::none) ++ch.assisted[std::string(to_string(c.assisted))];
  const bool online = applied_online(c.channel);
  ch.applied_online += online;
  ch.online_rate.add(online);
  if (c.state != CaseState::issued) return;
  std::string result_by;
  for (const Event& e : c.history) {
    if (e.kind == EventKind::issue) result_by = event_detail(e.detail, "channel");
  }
  const bool delivered = result_by == "post" || result_by == "e_certificate";
  // A village agent carries the application in and the result back (帮办代办).
  const bool zero = c.channel == SubmissionChannel::village_agent ||
                    (applied_from_home(c.channel) && delivered);
  ++ch.issued;
  ch.zero_trips += zero;
  ch.zero_trip_rate.add(zero);
  if (online) {
    const bool fully = result_by == "e_certificate";
    ++ch.issued_online;
    ch.fully_online += fully;
    ch.fully_online_rate.add(fully);
  }
}

void OperationsTally::finish(SupervisionFigures& f) const { f.channels = channels_; }

}  // namespace workflow::detail
