package service

import (
	"context"
	"time"
)

// workerActor is the audit log's actor of the resume worker.
const workerActor = "system:refund-worker"

// ResumeRefunds finishes the pending refunds whose caller is gone (its
// lease ran out: a crash, or a call whose outcome was unknown and is due
// again): each is taken over with a new lease and its provider called with
// the same idempotency key, so a provider that executed it before answers
// with the original refund. It returns how many it took over.
func (s *Service) ResumeRefunds(ctx context.Context) (int, error) {
	rows, err := s.st.LeaseStaleRefunds(ctx, s.refundLease, 20)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	cfg, err := s.PaymentsConfig(ctx)
	if err != nil {
		return 0, err
	}
	for _, f := range rows {
		res, err := s.execute(ctx, cfg, f, workerActor)
		if err != nil {
			s.log.Error("resume refund", "refund", f.ID, "err", err)
			continue
		}
		s.log.Info("refund resumed", "refund", f.ID, "executor", f.Executor, "state", res.State)
	}
	return len(rows), nil
}

// RunRefundWorker resumes refunds at start and then every interval until
// ctx ends.
func (s *Service) RunRefundWorker(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.ResumeRefunds(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("refund worker", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
