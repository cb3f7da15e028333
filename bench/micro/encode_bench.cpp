// Serializing one packet of the default shape (5 arrays of 10 values), done
// once per packet by the stream, whatever the number of clients.
#include <benchmark/benchmark.h>

#include "core/binary_packet.hpp"
#include "core/frame.hpp"
#include "core/protocol.hpp"
#include "source/random_arrays.hpp"

namespace {

arraycast::packet sample_packet(std::size_t arrays, std::size_t length) {
  arraycast::random_arrays source(arraycast::random_params{arrays, length, 0, 99}, 1);
  return arraycast::packet{42, 1764000000123456, source.arrays_for(42)};
}

using encoder = std::string (*)(const arraycast::packet&);

template <encoder Encode>
void encode_packet(benchmark::State& state) {
  const auto p = sample_packet(static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto out = Encode(p);
    bytes += out.size();
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(encode_packet<arraycast::protocol::encode>)->Name("encode_json")->Args({5, 10})->Args({10, 1000});
BENCHMARK(encode_packet<arraycast::protocol::encode_binary>)->Name("encode_binary")->Args({5, 10})->Args({10, 1000});

// Everything the stream does per packet besides generating it: both
// encodings, each framed once as the bytes every client receives.
void encode_and_frame(benchmark::State& state) {
  const auto p = sample_packet(5, 10);
  for (auto _ : state) {
    auto f = arraycast::make_frame(p.seq, p.ts, p.arrays.size(), arraycast::protocol::encode(p),
                                   arraycast::protocol::encode_binary(p));
    benchmark::DoNotOptimize(f);
  }
}
BENCHMARK(encode_and_frame);

void generate_and_encode(benchmark::State& state) {
  arraycast::random_arrays source(arraycast::random_params{5, 10, 0, 99}, 1);
  std::uint64_t seq = 0;
  for (auto _ : state) {
    ++seq;
    auto text = arraycast::protocol::encode(arraycast::packet{seq, 1764000000123456, source.arrays_for(seq)});
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(generate_and_encode);

}  // namespace
