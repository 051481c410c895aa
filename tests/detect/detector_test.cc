#include "detect/detector.h"

#include <gtest/gtest.h>

#include "identity/principal_test_peer.h"

namespace medvault::detect {
namespace {

using identity::PrincipalTestPeer;
using identity::Role;

TEST(Detector, TheGateAsksForAFreshCodeWhenContainmentSaysSo) {
  Detector detector(DetectionOptions{});
  auto doctor = PrincipalTestPeer::Make(Role::kPhysician);
  EXPECT_EQ(detector.Gate(doctor, 1000).kind, GateVerdict::kPass);
  PrincipalTestPeer::SetContainment(doctor, /*step_up_after=*/500, /*throttled_until=*/0);
  PrincipalTestPeer::SetSteppedUpAt(doctor, 400);
  EXPECT_EQ(detector.Gate(doctor, 1000).kind, GateVerdict::kStepUp);
  PrincipalTestPeer::SetSteppedUpAt(doctor, 600);  // stepped up since
  EXPECT_EQ(detector.Gate(doctor, 1000).kind, GateVerdict::kPass);
}

TEST(Detector, AThrottledAccountGetsOneRequestPerInterval) {
  DetectionOptions options;
  options.throttle_interval_ms = 10'000;
  Detector detector(options);
  auto doctor = PrincipalTestPeer::Make(Role::kPhysician);
  PrincipalTestPeer::SetContainment(doctor, 0, /*throttled_until=*/100'000);
  EXPECT_EQ(detector.Gate(doctor, 1000).kind, GateVerdict::kPass);
  auto slowed = detector.Gate(doctor, 4000);
  EXPECT_EQ(slowed.kind, GateVerdict::kThrottled);
  EXPECT_EQ(slowed.retry_after_ms, 7000);
  EXPECT_EQ(detector.Gate(doctor, 11'000).kind, GateVerdict::kPass);
  // Past the throttle's end, no limit.
  EXPECT_EQ(detector.Gate(doctor, 100'000).kind, GateVerdict::kPass);
  EXPECT_EQ(detector.Gate(doctor, 100'001).kind, GateVerdict::kPass);
}

}  // namespace
}  // namespace medvault::detect
