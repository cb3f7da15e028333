/* LD_PRELOAD shim for the e2e tests: getaddrinfo() hangs for host names that
 * end in ".slow-resolve.test", as it does when a name server never answers;
 * every other name resolves as usual. When SLOW_RESOLVE_MARK names a file,
 * the shim creates it as a hung lookup begins, so a test knows when. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef int (*getaddrinfo_fn)(const char*, const char*, const struct addrinfo*, struct addrinfo**);

static int is_slow(const char* node) {
  static const char suffix[] = ".slow-resolve.test";
  const size_t n = node ? strlen(node) : 0, s = sizeof suffix - 1;
  return n >= s && strcmp(node + n - s, suffix) == 0;
}

int getaddrinfo(const char* node, const char* service, const struct addrinfo* hints, struct addrinfo** res) {
  if (is_slow(node)) {
    const char* mark = getenv("SLOW_RESOLVE_MARK");
    if (mark) close(open(mark, O_CREAT | O_WRONLY, 0644));
    sleep(600);
    return EAI_AGAIN;
  }
  getaddrinfo_fn real = (getaddrinfo_fn)dlsym(RTLD_NEXT, "getaddrinfo");
  return real(node, service, hints, res);
}
