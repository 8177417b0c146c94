// Cross-county handoffs (跨县通办) through the PostgreSQL store's transactional outbox, and
// whole partitions moved and dropped (workflow/postgres_store.hpp), against a real
// PostgreSQL: ctest's postgres.store runs these under tests/postgres/with_cluster.sh. Without
// WORKFLOW_PG_CONNINFO every test here says so and passes. The kill test of handoffs is
// tests/crash/test_handoff.py.
#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>

#include <fmt/format.h>

#include "error_of.hpp"
#include "hall_fixture.hpp"
#include "postgres_fixture.hpp"
#include "workflow/engine.hpp"
#include "workflow/postgres_store.hpp"

using namespace workflow;
using namespace workflow::testing;

namespace {

Options on_partition(const std::string& partition) {
  Options o;
  o.store = open_postgres_store(conninfo(), partition);
  return o;
}

const std::vector<std::string> kAllowance{"居民身份证", "户口簿", "社会保障卡或银行账户信息"};

// What the sending hall puts in the payload: here simply the application, one field a line.
std::string application_payload(const Submission& s) {
  std::string out = s.matter + "\n" + s.applicant;
  for (const std::string& m : s.materials) out += "\n" + m;
  return out;
}

// The receiving hall takes the application in at its county window.
Submission taken_in(const Handoff& h) {
  Submission s;
  std::size_t at = 0;
  std::vector<std::string> lines;
  for (std::size_t nl; (nl = h.payload.find('\n', at)) != std::string::npos; at = nl + 1) {
    lines.push_back(h.payload.substr(at, nl - at));
  }
  lines.push_back(h.payload.substr(at));
  s.matter = lines.at(0);
  s.applicant = lines.at(1);
  s.materials.assign(lines.begin() + 2, lines.end());
  s.office = "nd";
  s.actor = "nd-s001";
  s.received_from = HandoffReceipt{h.from_partition, h.seq};
  return s;
}

}  // namespace

TEST_CASE("postgres handoff: an application handed to another county is taken in once and acknowledged") {
  REQUIRE_POSTGRES();
  const std::string ningdu = fresh_partition("360730"), neighbour = fresh_partition("360731");
  // 梅江镇's window takes in an allowance application for a resident of the neighbouring
  // county (异地代收) and hands it over with the case it opens here.
  Hall sender(ningdu_rules(), "2026-11-30T09:00", on_partition(ningdu));
  Submission s{"360730-ZZ-MZ-0001", "nd-mj", "nd-mj-s01", "钟奶奶", kAllowance};
  s.request_id = "mj-20261130-0001";
  s.hand_over = {HandoffOut{neighbour, application_payload(s)}};
  const CaseId sent = sender.engine.submit(s);
  CHECK(sender.engine.submit(s) == sent);  // a retry is answered, and hands over nothing more

  std::vector<Handoff> out = postgres_sent_handoffs(conninfo(), ningdu);
  REQUIRE(out.size() == 1);
  CHECK(out[0].seq == 1);
  CHECK(out[0].to_partition == neighbour);
  CHECK(out[0].sent_position == 1);  // written with the case's first event
  CHECK(out[0].received_position == 0);
  std::vector<Handoff> inbox = postgres_pending_handoffs(conninfo(), neighbour);
  REQUIRE(inbox.size() == 1);
  CHECK(inbox[0].from_partition == ningdu);
  CHECK(inbox[0].payload == application_payload(s));
  CHECK(postgres_pending_handoffs(conninfo(), ningdu).empty());

  CaseId received = 0;
  {
    Hall receiver(ningdu_rules(), "2026-11-30T09:30", on_partition(neighbour));
    received = receiver.engine.submit(taken_in(inbox[0]));
    CHECK(receiver.view(received).applicant == "钟奶奶");
    // Delivered again (the poll ran before the receipt was seen): the same case, no second.
    CHECK(receiver.engine.submit(taken_in(inbox[0])) == received);
    CHECK(receiver.engine.list().size() == 1);
  }
  out = postgres_sent_handoffs(conninfo(), ningdu);
  CHECK(out[0].received_position == 1);  // the receiver's position of the case's first event
  CHECK(postgres_pending_handoffs(conninfo(), neighbour).empty());
  // A receiver restarted after a crash that delivers it once more still makes no second case.
  Hall again(ningdu_rules(), "2026-11-30T10:00", on_partition(neighbour));
  CHECK(again.engine.submit(taken_in(inbox[0])) == received);
  CHECK(again.engine.list().size() == 1);
  CHECK(verify_postgres_log(conninfo(), ningdu).ok);
  CHECK(verify_postgres_log(conninfo(), neighbour).ok);
}

TEST_CASE("postgres handoff: a refused command hands nothing over; a receipt answers to its own request id") {
  REQUIRE_POSTGRES();
  const std::string ningdu = fresh_partition("360730"), neighbour = fresh_partition("360731");
  Hall sender(ningdu_rules(), "2026-11-30T09:00", on_partition(ningdu));
  Submission s{"360730-NO-SUCH", "nd-mj", "nd-mj-s01", "钟奶奶", kAllowance};
  s.hand_over = {HandoffOut{neighbour, "x"}};
  CHECK(error_of([&] { sender.engine.submit(s); }).code() == ErrorCode::not_found);
  s.matter = "360730-ZZ-MZ-0001";
  s.hand_over = {HandoffOut{"", "x"}};
  CHECK(error_of([&] { sender.engine.submit(s); }).code() == ErrorCode::invalid_argument);
  CHECK(postgres_sent_handoffs(conninfo(), ningdu).empty());
  CHECK(sender.engine.list().empty());

  Submission in = s;
  in.hand_over.clear();
  in.received_from = HandoffReceipt{neighbour, 1};
  in.request_id = "my-own-id";
  const Error e = error_of([&] { sender.engine.submit(in); });
  CHECK(e.code() == ErrorCode::invalid_argument);
  CHECK(std::string(e.what()) == fmt::format("a handoff taken in answers to request id "
                                             "'handoff/{}/1', not 'my-own-id'", neighbour));
  in.received_from->seq = 0;
  in.request_id.clear();
  CHECK(error_of([&] { sender.engine.submit(in); }).code() == ErrorCode::invalid_argument);
  CHECK(sender.engine.list().empty());
}

TEST_CASE("postgres partitions: a partition is moved onto another in one step, never under a writer") {
  REQUIRE_POSTGRES();
  const std::string built = fresh_partition("tmp"), live = fresh_partition("360730");
  CaseId id = 0;
  {
    Hall hall(ningdu_rules(), "2026-11-30T09:00", on_partition(built));
    id = hall.submit("360730-SCJG-0004", "nd", "nd-s001", food_licence_materials());
    hall.act(id, Verb::accept, "nd-s001");
    // A partition an engine has open is neither moved nor dropped.
    const Error e = error_of([&] { move_postgres_partition(conninfo(), built, live); });
    CHECK(e.code() == ErrorCode::store_error);
    CHECK(std::string(e.what()).find("is open for writing by an engine") != std::string::npos);
    CHECK(error_of([&] { drop_postgres_partition(conninfo(), built); }).code() ==
          ErrorCode::store_error);
  }
  { Hall other(ningdu_rules(), "2026-11-30T09:00", on_partition(live)); }  // an older hall there
  move_postgres_partition(conninfo(), built, live);
  std::vector<std::string> all = postgres_partitions(conninfo());
  CHECK(std::find(all.begin(), all.end(), live) != all.end());
  CHECK(std::find(all.begin(), all.end(), built) == all.end());
  {
    Hall moved(ningdu_rules(), "2026-11-30T10:00", on_partition(live));
    CHECK(moved.state(id) == CaseState::preliminary_review);
    CHECK(moved.engine.list().size() == 1);
  }
  CHECK(verify_postgres_log(conninfo(), live).ok);  // the chain does not name the partition
  CHECK(error_of([&] { move_postgres_partition(conninfo(), built, live); }).code() ==
        ErrorCode::store_error);  // nothing left to move
  drop_postgres_partition(conninfo(), live);
  all = postgres_partitions(conninfo());
  CHECK(std::find(all.begin(), all.end(), live) == all.end());
}
