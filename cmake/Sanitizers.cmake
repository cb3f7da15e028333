# Build options as a target: sanitizers are switched on here, once.
add_library(arraycast_options INTERFACE)
target_compile_features(arraycast_options INTERFACE cxx_std_20)
if(ARRAYCAST_ASAN AND ARRAYCAST_TSAN)
  message(FATAL_ERROR "ARRAYCAST_ASAN and ARRAYCAST_TSAN cannot be combined")
endif()
if(ARRAYCAST_ASAN)
  target_compile_options(arraycast_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(arraycast_options INTERFACE -fsanitize=address,undefined)
  # clang (seen with 14): -fsanitize=function, part of "undefined", makes the backend
  # fail on C++20 coroutines with "Cannot represent a difference across sections"
  # (llvm/llvm-project#49689, #54153). It only checks calls through mistyped function
  # pointers, which our C++ code does not make.
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    target_compile_options(arraycast_options INTERFACE -fno-sanitize=function)
  endif()
endif()
if(ARRAYCAST_TSAN)
  # -Wno-tsan: GCC warns that TSan cannot model the atomic_thread_fence inside Asio's handlers.
  target_compile_options(arraycast_options INTERFACE -fsanitize=thread -fno-omit-frame-pointer -Wno-tsan)
  target_link_options(arraycast_options INTERFACE -fsanitize=thread)
endif()
if(ARRAYCAST_FUZZ)
  # Coverage for libFuzzer in every target, so the fuzzers see the branches of
  # arraycast_lib, not only their own; each fuzzer adds -fsanitize=fuzzer (main).
  target_compile_options(arraycast_options INTERFACE -fsanitize=fuzzer-no-link)
  target_link_options(arraycast_options INTERFACE -fsanitize=fuzzer-no-link)
endif()
