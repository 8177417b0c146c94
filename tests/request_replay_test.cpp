// A retried request id is answered only once the original command is durable: a client told
// "stored" by the retry must never lose the command to a crash. The store here holds every
// commit "queued, not durable" until the test releases (or fails) it, so a retry arriving
// while the original is in flight can be watched.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include <boost/asio/io_context.hpp>

#include "error_of.hpp"
#include "forwarding_store.hpp"
#include "hall_fixture.hpp"
#include "workflow/asio.hpp"
#include "workflow/error.hpp"
#include "workflow/store.hpp"

using namespace workflow;
using namespace workflow::testing;
using namespace std::chrono_literals;

namespace {

// A memory store whose commits, while held, are queued but not durable: wait_durable blocks
// and on_durable callbacks are deferred until release() (or fail()). find_request answers
// from the queued commits too, as a real group-commit store does.
class HeldStore final : public ForwardingStore {
 public:
  HeldStore() : ForwardingStore(make_memory_store()) {}
  // From now on commits stay not durable until release() or fail().
  void hold() {
    std::lock_guard lock(mutex_);
    holding_ = true;
  }
  // Everything appended so far becomes durable; later commits are durable at once.
  void release() {
    std::multimap<std::uint64_t, std::function<void(std::exception_ptr)>> due;
    {
      std::lock_guard lock(mutex_);
      holding_ = false;
      durable_ = issued_;
      due.swap(callbacks_);
    }
    cv_.notify_all();
    for (auto& [ticket, done] : due) done(nullptr);
  }
  // Every commit not yet durable fails, and so does every later append.
  void fail() {
    std::multimap<std::uint64_t, std::function<void(std::exception_ptr)>> due;
    {
      std::lock_guard lock(mutex_);
      failed_ = true;
      due.swap(callbacks_);
    }
    cv_.notify_all();
    for (auto& [ticket, done] : due) done(failure());
  }
  // Threads blocked in wait_durable right now.
  int waiters() const {
    std::lock_guard lock(mutex_);
    return waiters_;
  }
  // Callbacks waiting in on_durable right now.
  std::size_t deferred() const {
    std::lock_guard lock(mutex_);
    return callbacks_.size();
  }

  std::uint64_t append(StoreCommit commit) override {
    std::lock_guard lock(mutex_);
    if (failed_) std::rethrow_exception(failure());
    const std::uint64_t ticket = inner().append(std::move(commit));
    issued_ = ticket;
    if (!holding_) durable_ = ticket;
    return ticket;
  }
  void wait_durable(std::uint64_t ticket) override {
    std::unique_lock lock(mutex_);
    if (ticket == 0 || ticket > issued_) {
      throw Error(ErrorCode::invalid_argument, "a ticket never issued");
    }
    ++waiters_;
    cv_.wait(lock, [&] { return durable_ >= ticket || failed_; });
    --waiters_;
    if (durable_ < ticket) std::rethrow_exception(failure());
  }
  void on_durable(std::uint64_t ticket, std::function<void(std::exception_ptr)> done) override {
    std::unique_lock lock(mutex_);
    if (ticket == 0 || ticket > issued_) {
      throw Error(ErrorCode::invalid_argument, "a ticket never issued");
    }
    if (durable_ < ticket && !failed_) {
      callbacks_.emplace(ticket, std::move(done));
      return;
    }
    const std::exception_ptr error = durable_ >= ticket ? nullptr : failure();
    lock.unlock();
    done(error);
  }
 private:
  static std::exception_ptr failure() {
    return std::make_exception_ptr(Error(ErrorCode::store_error, "the disk is gone (test)"));
  }

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool holding_ = false;
  bool failed_ = false;
  std::uint64_t issued_ = 0;
  std::uint64_t durable_ = 0;
  int waiters_ = 0;
  std::multimap<std::uint64_t, std::function<void(std::exception_ptr)>> callbacks_;
};

// Polls `done` for up to ten seconds (a stuck test fails instead of hanging).
bool eventually(const std::function<bool()>& done) {
  const auto until = std::chrono::steady_clock::now() + 10s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

// One call of a command on its own thread: whether it returned, and how.
struct Call {
  std::atomic<bool> returned{false};
  std::exception_ptr failure;
  std::uint64_t result = 0;
  std::thread thread;

  explicit Call(std::function<std::uint64_t()> command)
      : thread([this, command = std::move(command)] {
          try {
            result = command();
          } catch (...) {
            failure = std::current_exception();
          }
          returned = true;
        }) {}
  ~Call() {
    if (thread.joinable()) thread.join();
  }
};

struct HeldHall {
  std::shared_ptr<HeldStore> store = std::make_shared<HeldStore>();
  Hall hall{ningdu_rules(), "2026-03-02T09:00", options(store)};

  static Options options(std::shared_ptr<HeldStore> s) {
    Options o;
    o.store = std::move(s);
    return o;
  }
};

// The original command (with request id R) is queued while the store holds it; a retry of R
// must not return before the original is durable, and then answers as the original did.
void retry_waits_for_durability(HeldStore& store, const std::function<std::uint64_t()>& command) {
  store.hold();
  Call original(command);
  REQUIRE(eventually([&] { return store.waiters() == 1; }));  // queued, waiting
  Call retry(command);
  // Fixed, the retry waits beside the original; broken, it returns at once.
  REQUIRE(eventually([&] { return store.waiters() == 2 || retry.returned; }));
  CHECK_FALSE(retry.returned);
  CHECK_FALSE(original.returned);
  store.release();
  original.thread.join();
  retry.thread.join();
  CHECK_FALSE(original.failure);
  CHECK_FALSE(retry.failure);
  CHECK(retry.result == original.result);
}

// A 食品经营许可 received, accepted, reviewed, decided and issued at 宁都县.
CaseId issued_food_case(Hall& hall) {
  const CaseId id = food_case_at_review(hall);
  hall.act(id, Verb::review_pass, "nd-s022");
  hall.act(id, Verb::approve, "nd-s024");
  hall.act(id, Verb::issue, "nd-s001");
  REQUIRE(hall.state(id) == CaseState::issued);
  return id;
}

Submission food_submission(std::string request_id) {
  Submission s{"360730-SCJG-0004", "nd", "nd-s001", "甲", food_licence_materials()};
  s.request_id = std::move(request_id);
  return s;
}

Action by(const std::string& actor, std::string request_id) {
  Action a;
  a.actor = actor;
  a.request_id = std::move(request_id);
  return a;
}

const std::vector<std::string> kOpeningMaterials{
    "公司登记（备案）申请书", "公司章程", "股东主体资格文件或自然人身份证明",
    "法定代表人、董事、监事和高级管理人员的任职文件及身份证明", "住所（经营场所）使用证明",
    "营业执照", "法定代表人身份证明", "经办人身份证明及授权委托书", "经办人身份证件",
    "发票专用章印模", "社会保险登记表", "单位住房公积金缴存登记表"};

BundleSubmission opening(std::string request_id) {
  BundleSubmission s;
  s.bundle = "business-opening";
  s.office = "nd";
  s.actor = "nd-s001";
  s.applicant = "宁都县赣江食品有限公司（筹）";
  s.materials = kOpeningMaterials;
  s.request_id = std::move(request_id);
  return s;
}

}  // namespace

TEST_CASE("replay: a retried submit waits until the original is durable") {
  HeldHall h;
  const Submission s = food_submission("ck-20260302-0001");
  retry_waits_for_durability(*h.store, [&] { return h.hall.engine.submit(s); });
  CHECK(h.hall.engine.list().size() == 1);
}

TEST_CASE("replay: a retried act waits until the original is durable") {
  HeldHall h;
  const CaseId id = h.hall.engine.submit(food_submission({}));
  const Action a = by("nd-s001", "ck-20260302-0002");
  retry_waits_for_durability(*h.store, [&]() -> std::uint64_t {
    h.hall.engine.accept(id, a);
    return id;
  });
  CHECK(h.hall.state(id) == CaseState::preliminary_review);
  CHECK(h.hall.kinds(id) == std::vector<std::string>{"submitted", "accept"});
}

TEST_CASE("replay: a retried submit_bundle and act_bundle wait until the original is durable") {
  HeldHall h;
  const BundleSubmission s = opening("kb-20260302-0001");
  retry_waits_for_durability(*h.store, [&] { return h.hall.engine.submit_bundle(s); });
  REQUIRE(h.hall.engine.list_bundles().size() == 1);
  const BundleId id = h.hall.engine.list_bundles()[0].id;
  const Action a = by("nd-s001", "kb-20260302-0002");
  retry_waits_for_durability(*h.store, [&]() -> std::uint64_t {
    h.hall.engine.act_bundle(id, Verb::accept, a);
    return id;
  });
  CHECK(h.hall.engine.get_bundle(id).accepted == day("2026-03-02"));
}

TEST_CASE("replay: a retried rating waits until the original is durable") {
  HeldHall h;
  const CaseId id = issued_food_case(h.hall);
  Rating r;
  r.score = 2;
  r.channel = RatingChannel::phone;
  r.named = true;
  r.comment = "窗口解释不清";
  r.request_id = "hc-20260302-0001";
  retry_waits_for_durability(*h.store, [&]() -> std::uint64_t {
    h.hall.engine.rate(id, r);
    return id;
  });
  const CaseView v = h.hall.view(id);
  REQUIRE(v.rating.has_value());
  CHECK(v.rating->score == 2);
}

TEST_CASE("replay: retried mark_away and mark_back wait until the original is durable") {
  HeldHall h;
  const DateTime from = DateTime::parse("2026-03-03T08:00");
  const DateTime until = DateTime::parse("2026-03-05T18:00");
  retry_waits_for_durability(*h.store, [&]() -> std::uint64_t {
    h.hall.engine.mark_away("nd-s022", AbsenceKind::leave, from, until, "nd-s017", "qx-0001");
    return 0;
  });
  retry_waits_for_durability(*h.store, [&]() -> std::uint64_t {
    h.hall.engine.mark_back("nd-s022", "nd-s017", "qx-0002");
    return 0;
  });
}

TEST_CASE("replay: a retry of a durable request answers at once") {
  HeldHall h;
  const Submission s = food_submission("ck-20260302-0003");
  const CaseId id = h.hall.engine.submit(s);
  CHECK(h.hall.engine.submit(s) == id);
  // Even while later, unrelated commits are in flight, the retry answers (it may share
  // their sync, but it never fails or hangs once they are durable).
  h.store->hold();
  Call other([&]() -> std::uint64_t { return h.hall.engine.submit(food_submission({})); });
  REQUIRE(eventually([&] { return h.store->waiters() == 1; }));
  Call retry([&]() -> std::uint64_t { return h.hall.engine.submit(s); });
  REQUIRE(eventually([&] { return h.store->waiters() == 2 || retry.returned; }));
  h.store->release();
  other.thread.join();
  retry.thread.join();
  CHECK_FALSE(retry.failure);
  CHECK(retry.result == id);
  CHECK(h.hall.engine.list().size() == 2);
}

TEST_CASE("replay: when the original commit fails, the retry fails too") {
  HeldHall h;
  const Submission s = food_submission("ck-20260302-0004");
  h.store->hold();
  Call original([&]() -> std::uint64_t { return h.hall.engine.submit(s); });
  REQUIRE(eventually([&] { return h.store->waiters() == 1; }));
  Call retry([&]() -> std::uint64_t { return h.hall.engine.submit(s); });
  REQUIRE(eventually([&] { return h.store->waiters() == 2 || retry.returned; }));
  CHECK_FALSE(retry.returned);
  h.store->fail();
  original.thread.join();
  retry.thread.join();
  REQUIRE(original.failure);
  REQUIRE(retry.failure);
  CHECK(error_of([&] { std::rethrow_exception(retry.failure); }).code() ==
        ErrorCode::store_error);
}

TEST_CASE("replay: async retries complete only after the original is durable") {
  HeldHall h;
  h.store->hold();
  const Submission s = food_submission("ck-20260302-0005");
  std::optional<CaseId> first, second;
  h.hall.engine.submit_async(s, [&](CaseId id, std::exception_ptr e) {
    CHECK_FALSE(e);
    first = id;
  });
  h.hall.engine.submit_async(s, [&](CaseId id, std::exception_ptr e) {
    CHECK_FALSE(e);
    second = id;
  });
  CHECK_FALSE(first);
  CHECK_FALSE(second);  // the retry of a commit in flight is not answered yet
  h.store->release();
  REQUIRE(first);
  REQUIRE(second);
  CHECK(*second == *first);

  h.store->hold();
  const Action a = by("nd-s001", "ck-20260302-0006");
  int done = 0;
  h.hall.engine.act_async(*first, Verb::accept, a, [&](std::exception_ptr e) {
    CHECK_FALSE(e);
    ++done;
  });
  h.hall.engine.act_async(*first, Verb::accept, a, [&](std::exception_ptr e) {
    CHECK_FALSE(e);
    ++done;
  });
  CHECK(done == 0);
  CHECK(h.store->deferred() == 2);
  h.store->release();
  CHECK(done == 2);
  CHECK(h.hall.state(*first) == CaseState::preliminary_review);

  // The Asio forms ride on the same callbacks: the retry's handler is not posted before.
  h.store->hold();
  boost::asio::io_context io;
  const Submission t = food_submission("ck-20260302-0007");
  std::optional<CaseId> third, fourth;
  async_submit(h.hall.engine, io.get_executor(), t, [&](std::exception_ptr e, CaseId id) {
    CHECK_FALSE(e);
    third = id;
  });
  async_submit(h.hall.engine, io.get_executor(), t, [&](std::exception_ptr e, CaseId id) {
    CHECK_FALSE(e);
    fourth = id;
  });
  io.poll();
  CHECK_FALSE(third);
  CHECK_FALSE(fourth);
  h.store->release();
  io.restart();
  io.run();
  REQUIRE(third);
  REQUIRE(fourth);
  CHECK(*fourth == *third);
}

TEST_CASE("replay: a failed async original fails its async retry") {
  HeldHall h;
  h.store->hold();
  const Submission s = food_submission("ck-20260302-0008");
  std::exception_ptr first, second;
  int calls = 0;
  h.hall.engine.submit_async(s, [&](CaseId, std::exception_ptr e) { first = e, ++calls; });
  h.hall.engine.submit_async(s, [&](CaseId, std::exception_ptr e) { second = e, ++calls; });
  CHECK(calls == 0);
  h.store->fail();
  CHECK(calls == 2);
  CHECK(first);
  CHECK(second);
}
