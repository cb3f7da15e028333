#include "backplane/stream_frames.hpp"

#include <fmt/format.h>

#include "core/binary_packet.hpp"
#include "core/protocol.hpp"

namespace arraycast {

frame_ptr gap_frame(std::uint64_t from, std::uint64_t to, std::string reason) {
  return make_gap_frame(from, to, protocol::encode(protocol::gap{from, to, std::move(reason)}));
}

stream_frame frame_of(std::uint64_t seq, std::string_view payload) {
  auto m = protocol::decode_server(payload);
  if (auto* p = std::get_if<packet>(&m)) {
    if (p->seq != seq) return {gap_frame(seq, seq, "not a packet"), fmt::format("a packet for seq {}", p->seq)};
    return {make_frame(seq, p->ts, p->arrays.size(), protocol::encode(*p), protocol::encode_binary(*p)), {}};
  }
  if (auto* g = std::get_if<protocol::gap>(&m)) {
    if (g->from != seq || g->to != seq) return {gap_frame(seq, seq, "not a packet"), "a gap for other seqs"};
    return {make_gap_frame(seq, seq, protocol::encode(*g)), {}};
  }
  if (auto* e = std::get_if<protocol::decode_error>(&m)) return {gap_frame(seq, seq, "not a packet"), e->message};
  return {gap_frame(seq, seq, "not a packet"), "neither a packet nor a gap"};
}

}  // namespace arraycast
