// Boost.URL is header-only when its sources are compiled into one translation unit.
#include <boost/url/src.hpp>
