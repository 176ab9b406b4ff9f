package service

import "time"

// Now is the service's clock (Config.Now): the time a page stamps on what
// it shows as happening now, such as a scan at the receiving bench, and the
// outbox worker's schedule, so that tests with a fixed clock see fixed
// times.
func (s *Service) Now() time.Time { return s.now() }
