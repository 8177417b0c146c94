// Asio completion-token forms of the engine's asynchronous commands, for hall servers built
// on Boost.Asio: callbacks, use_future, or coroutines (use_awaitable) all work.
//
//   workflow::async_submit(engine, io.get_executor(), submission,
//                          [](std::exception_ptr e, workflow::CaseId id) { ... });
//
// The handler runs on its associated executor (by default the one passed in) once the
// command's events are durable, with nullptr and the result, or with the failure.
#pragma once

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp needs std::exchange

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <exception>
#include <memory>

#include "workflow/engine.hpp"

namespace workflow {

namespace detail {
// Completion handlers may be move-only; std::function needs a copyable callable.
template <class Handler>
auto shared_handler(Handler&& h) {
  return std::make_shared<std::decay_t<Handler>>(std::forward<Handler>(h));
}
}  // namespace detail

template <class Executor, class CompletionToken>
auto async_submit(Engine& engine, const Executor& executor, Submission submission,
                  CompletionToken&& token) {
  return boost::asio::async_initiate<CompletionToken, void(std::exception_ptr, CaseId)>(
      [&engine, executor](auto handler, Submission s) {
        auto h = detail::shared_handler(std::move(handler));
        auto ex = boost::asio::get_associated_executor(*h, executor);
        engine.submit_async(std::move(s), [h, ex](CaseId id, std::exception_ptr e) {
          boost::asio::post(ex, [h, id, e] { (*h)(e, id); });
        });
      },
      token, std::move(submission));
}

template <class Executor, class CompletionToken>
auto async_act(Engine& engine, const Executor& executor, CaseId id, Verb verb, Action action,
               CompletionToken&& token) {
  return boost::asio::async_initiate<CompletionToken, void(std::exception_ptr)>(
      [&engine, executor, id, verb](auto handler, Action a) {
        auto h = detail::shared_handler(std::move(handler));
        auto ex = boost::asio::get_associated_executor(*h, executor);
        engine.act_async(id, verb, std::move(a), [h, ex](std::exception_ptr e) {
          boost::asio::post(ex, [h, e] { (*h)(e); });
        });
      },
      token, std::move(action));
}

}  // namespace workflow
