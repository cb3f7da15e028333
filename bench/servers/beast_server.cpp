// A minimal Boost.Beast broadcast server: the baseline a C++ developer would
// write from Beast's chat-multi example. One io_context on one thread, one
// async_write queue per session, a timer that serializes each packet once
// and hands the same buffer to every session. Same wire format and hello
// semantics as `arraycast serve`. For bench/run.sh only.
//
//   beast_server [port] [interval_us]     interval 0: as fast as sessions drain
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <chrono>
#include <cstdio>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <unordered_set>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

namespace {

using message = std::shared_ptr<const std::string>;
constexpr std::size_t max_queue = 256;   // as arraycast's default: then the client is dropped
constexpr std::size_t pace_queue = 32;   // interval 0: publish while every queue is below this

long long now_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

class session;
std::unordered_set<session*> live;  // io_context thread only
std::uint64_t head = 0;

class session : public std::enable_shared_from_this<session> {
public:
  explicit session(tcp::socket s) : ws_(std::move(s)) {}
  ~session() { live.erase(this); }
  std::size_t queued() const { return queue_.size(); }

  void run() { ws_.async_accept(beast::bind_front_handler(&session::on_accept, shared_from_this())); }

  void send(const message& m) {
    if (queue_.size() >= max_queue) return beast::get_lowest_layer(ws_).close();  // slow consumer
    queue_.push_back(m);
    if (queue_.size() == 1) do_write();
  }

private:
  void on_accept(beast::error_code ec) {
    if (ec) return;
    ws_.text(true);
    std::string welcome = "{\"type\":\"welcome\",\"epoch\":1,\"history\":0,\"arrays\":5,\"length\":10,\"head\":";
    welcome += std::to_string(head);
    welcome += '}';
    send(std::make_shared<const std::string>(std::move(welcome)));
    do_read();
  }
  void do_read() { ws_.async_read(buffer_, beast::bind_front_handler(&session::on_read, shared_from_this())); }
  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return;
    const auto text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (text.find("\"hello\"") != std::string::npos) live.insert(this);
    do_read();
  }
  void do_write() {
    ws_.async_write(net::buffer(*queue_.front()), beast::bind_front_handler(&session::on_write, shared_from_this()));
  }
  void on_write(beast::error_code ec, std::size_t) {
    if (ec) return;
    queue_.pop_front();
    if (!queue_.empty()) do_write();
  }

  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::deque<message> queue_;
};

void do_accept(tcp::acceptor& acceptor) {
  acceptor.async_accept([&acceptor](beast::error_code ec, tcp::socket s) {
    if (!ec) std::make_shared<session>(std::move(s))->run();
    do_accept(acceptor);
  });
}

std::string make_packet(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> value(0, 99);
  std::string text = "{\"type\":\"packet\",\"seq\":";
  text += std::to_string(++head);
  text += ",\"ts\":";
  text += std::to_string(now_us());
  text += ",\"arrays\":[";
  for (int a = 0; a < 5; ++a) {
    text += a ? ",[" : "[";
    for (int i = 0; i < 10; ++i) {
      if (i) text += ',';
      text += std::to_string(value(rng));
    }
    text += ']';
  }
  text += "]}";
  return text;
}

void broadcast(std::mt19937_64& rng) {
  const auto m = std::make_shared<const std::string>(make_packet(rng));
  std::vector<std::weak_ptr<session>> targets;
  targets.reserve(live.size());
  for (auto* s : live) targets.push_back(s->weak_from_this());
  for (auto& w : targets)
    if (auto s = w.lock()) s->send(m);
}

bool congested() {
  for (auto* s : live)
    if (s->queued() >= pace_queue) return true;
  return false;
}

void tick(net::steady_timer& timer, std::mt19937_64& rng, std::chrono::microseconds interval) {
  if (interval.count() == 0) {
    if (congested()) {
      timer.expires_after(std::chrono::microseconds(200));
      return timer.async_wait([&timer, &rng, interval](beast::error_code) { tick(timer, rng, interval); });
    }
    broadcast(rng);
    return net::post(timer.get_executor(), [&timer, &rng, interval] { tick(timer, rng, interval); });
  }
  broadcast(rng);
  timer.expires_at(timer.expiry() + interval);
  timer.async_wait([&timer, &rng, interval](beast::error_code ec) {
    if (!ec) tick(timer, rng, interval);
  });
}

}  // namespace

int main(int argc, char** argv) {
  const auto port = static_cast<unsigned short>(argc > 1 ? std::stoi(argv[1]) : 0);
  const auto interval = std::chrono::microseconds(argc > 2 ? std::stoll(argv[2]) : 2'000'000);
  net::io_context ioc(1);
  tcp::acceptor acceptor(ioc, {net::ip::make_address("127.0.0.1"), port});
  acceptor.listen(4096);
  std::printf("beast_server: streaming on ws://127.0.0.1:%u/\n", acceptor.local_endpoint().port());
  std::fflush(stdout);
  do_accept(acceptor);
  std::mt19937_64 rng(1);
  net::steady_timer timer(ioc, std::chrono::steady_clock::now() + interval);
  if (interval.count() == 0) tick(timer, rng, interval);
  else timer.async_wait([&](beast::error_code) { tick(timer, rng, interval); });
  net::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code, int) { ioc.stop(); });
  ioc.run();
}
