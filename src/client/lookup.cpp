#include "client/lookup.hpp"

#include <mutex>
#include <thread>

namespace arraycast {

// What the lookup thread shares with the executor's thread.
struct lookup::handoff {
  std::mutex mutex;
  // Null once nobody waits for the result. Written only on the executor's
  // thread, under mutex; the lookup thread reads it under mutex.
  lookup* owner = nullptr;
};

lookup::lookup(net::any_io_executor ex) : ex_(ex), done_(ex), handoff_(std::make_shared<handoff>()) {}

lookup::~lookup() { abandon(); }

net::awaitable<tcp::resolver::results_type> lookup::resolve(const std::string& host, const std::string& port,
                                                            std::chrono::steady_clock::duration timeout) {
  {
    const std::lock_guard lock(handoff_->mutex);
    handoff_->owner = this;
  }
  done_.expires_after(timeout);
  std::thread([h = handoff_, ex = ex_, host, port] {
    net::io_context own;  // a resolver's synchronous resolve() runs getaddrinfo on the calling thread
    boost::system::error_code ec;
    auto results = tcp::resolver(own).resolve(host, port, ec);
    const std::lock_guard lock(h->mutex);
    if (h->owner == nullptr) return;  // abandoned: the executor may be gone
    net::post(ex, [h, ec, results = std::move(results)] {
      if (h->owner != nullptr) h->owner->finish(ec, results);  // this thread is the only writer
    });
  }).detach();
  boost::system::error_code wait_ec;
  co_await done_.async_wait(net::redirect_error(net::use_awaitable, wait_ec));
  if (!wait_ec) abandon();  // timed out: nobody waits for it any more
  if (!finished_)
    throw boost::system::system_error(wait_ec ? net::error::operation_aborted : net::error::timed_out,
                                      "name lookup of " + host);
  if (ec_) throw boost::system::system_error(ec_, "cannot resolve " + host);
  co_return results_;
}

void lookup::abandon() {
  {
    const std::lock_guard lock(handoff_->mutex);
    handoff_->owner = nullptr;
  }
  done_.cancel();
}

void lookup::finish(boost::system::error_code ec, tcp::resolver::results_type results) {
  ec_ = ec;
  results_ = std::move(results);
  finished_ = true;
  done_.cancel();
}

}  // namespace arraycast
