#include "source/serial_source.hpp"

#include <gtest/gtest.h>

namespace arraycast {
namespace {

TEST(SerialSettings, TheDefaultsAndCommonRatesAreTaken) {
  source_config c;
  EXPECT_EQ(serial_settings_error(c), "");
  for (const unsigned baud : {9600U, 57600U, 115200U, 921600U, 4000000U}) {
    c.baud = baud;
    EXPECT_EQ(serial_settings_error(c), "") << baud;
  }
}

TEST(SerialSettings, WhatTermiosCannotSetIsRefusedNamingTheFlag) {
  source_config c;
  c.baud = 12345;
  EXPECT_NE(serial_settings_error(c).find("--baud 12345"), std::string::npos);
  c = {};
  c.stop_bits = net::serial_port_base::stop_bits::onepointfive;
  EXPECT_NE(serial_settings_error(c).find("--stop-bits 1.5"), std::string::npos);
}

}  // namespace
}  // namespace arraycast
