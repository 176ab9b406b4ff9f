package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/handlers"
	"github.com/returns-portal/returns/internal/token"
	"github.com/returns-portal/returns/locales"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

func cmdServe(ctx context.Context, legal *returns.Legal, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	db := dbFlag(fs)
	baseURL := fs.String("base-url", "", "public URL of the portal, used in links (default http://ADDR)")
	secret := fs.String("secret", "", "token signing secret, at least 32 characters (default: generated once and stored in the database)")
	limitIP := fs.Int(limitIPFlag, defaultLimitIP, "order lookups per minute per client IP (0 = off)")
	limitOrder := fs.Int(limitOrderFlag, defaultLimitOrder, "order lookups per 15 minutes per order number (0 = off)")
	proxies := fs.String("trusted-proxies", "", "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is trusted")
	embedOrigins := fs.String("embed-origins", "", "comma-separated storefront origins (scheme://host[:port]) that may frame the portal under /embed (empty: none)")
	imageHosts := fs.String("image-hosts", "", "comma-separated hosts (host[:port] or https origins) order lines may take their pictures from (empty: none)")
	demoData := fs.Bool("demo", false, "seed the demo policy and orders into an empty database; relaxes the lookup limits unless they are set")
	pprofAddr := fs.String("pprof", "", "serve runtime profiles (net/http/pprof) on this address, e.g. 127.0.0.1:6060 (default: off; keep it on loopback)")
	nf := notifyFlags(fs)
	conn := connectorFlags(fs)
	cf := carrierFlags(fs) // cmd_serve_carriers.go
	secretsKey := fs.String("secrets-key", "", "key that encrypts the credentials stored at /admin/settings, at least 32 characters (better given as RETURNS_SECRETS_KEY; without it credentials come from the environment only)")
	refundEvery := fs.Duration("refund-worker-interval", time.Minute, "how often pending refunds whose caller is gone are resumed")
	if err := parse(fs, args); err != nil {
		return err
	}
	box, err := service.SecretsBox(*secretsKey)
	if err != nil {
		return err
	}
	relaxed := *demoData && relaxDemoLimits(fs, limitIP, limitOrder)
	// Check the flags before touching the database: a bad --secret must not
	// leave a migrated (or, with --demo, seeded) database behind.
	if *secret != "" && len(*secret) < 32 {
		return errors.New("--secret must be at least 32 characters")
	}
	origins, err := service.ParseEmbedOrigins(splitList(*embedOrigins))
	if err != nil {
		return fmt.Errorf("--embed-origins: %w", err)
	}
	images, err := service.ParseImageHosts(splitList(*imageHosts))
	if err != nil {
		return fmt.Errorf("--image-hosts: %w", err)
	}
	mailer, err := nf.check()
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(stderr, nil))

	st, err := openStore(ctx, *db, legal)
	if err != nil {
		return err
	}
	defer st.Close()

	var info *demo.Info
	if *demoData {
		if info, err = demo.SeedIfEmpty(ctx, st, legal, time.Now()); err != nil {
			return err
		}
	}
	// --embed-origins seeds the embed origins setting on the first start;
	// afterwards the staff area's settings page is the source of truth.
	configured := origins
	origins, seeded, err := service.SeedEmbedOrigins(ctx, st, configured)
	if err != nil {
		return err
	}
	if !seeded && len(configured) > 0 && strings.Join(configured, ",") != strings.Join(origins, ",") {
		logger.Warn("--embed-origins ignored: the embed origins are edited at /admin/settings",
			"configured", configured, "in_force", origins)
	}
	providers, err := cf.providers(ctx, st, box, logger)
	if err != nil {
		return err
	}
	// --secret fixes the key (no rotation); else the keys are the
	// database's (cmd_secret.go), read again every few seconds.
	var key []byte
	var accept [][]byte
	if *secret != "" {
		if len(*secret) < token.MinKeyLength {
			return errors.New("--secret must be at least 32 characters")
		}
		key = []byte(*secret)
	} else if key, accept, err = tokenKeys(ctx, st); err != nil {
		return err
	}
	catalog, err := locales.Load()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	url := *baseURL
	if url == "" {
		url = "http://" + ln.Addr().String()
	}
	signer, err := token.NewSigner(key)
	if err == nil {
		err = signer.Rotate(key, accept...)
	}
	if err != nil {
		ln.Close()
		return err
	}
	svc, err := service.New(service.Config{Store: st, Legal: legal, Tokens: signer, Logger: logger,
		Settings: service.Settings{LookupLimitIP: *limitIP, LookupLimitOrder: *limitOrder, EmbedOrigins: origins,
			WebhookAllowPrivate: nf.allowPrivate, ImageHosts: images},
		Connectors: *conn, Secrets: box, Carriers: providers})
	if err != nil {
		ln.Close()
		return err
	}
	e, err := handlers.New(handlers.Config{Service: svc, Catalog: catalog, Logger: logger, BaseURL: url,
		TrustedProxies: splitList(*proxies), MailKept: mailer.Keeps()})
	if err != nil {
		ln.Close()
		return err
	}
	worker, err := nf.worker(svc, catalog, url, mailer, logger)
	if err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{
		Handler: e, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	if *pprofAddr != "" {
		stop, err := startPprof(*pprofAddr, logger)
		if err != nil {
			ln.Close()
			return err
		}
		defer stop()
	}
	logger.Info("listening", "addr", ln.Addr().String(), "base_url", url)
	fmt.Fprintf(stdout, "Returns Portal listening on %s\n", url)
	if relaxed {
		fmt.Fprintf(stdout, "Demo mode: lookups limited to %d per minute per IP and %d per 15 minutes per order (production defaults: %d and %d)\n",
			*limitIP, *limitOrder, defaultLimitIP, defaultLimitOrder)
	}
	if info != nil {
		fmt.Fprintf(stdout, "Demo order: %s with e-mail %s\n", info.OrderNumber, info.Email)
		fmt.Fprintf(stdout, "Demo API key: %s\n", info.APIKey)
		fmt.Fprintf(stdout, "Demo staff login: %s/admin/login as %s with password %s\n", url, info.AdminEmail, info.AdminPassword)
		fmt.Fprintf(stdout, "Try: curl -s -X POST %s/api/v1/returns/lookup -H 'Content-Type: application/json' -d '{\"order_number\":\"%s\",\"email\":\"%s\"}'\n", url, info.OrderNumber, info.Email)
	}

	// The outbox worker sends what the requests commit; the refund worker
	// resumes pending refunds left by a crash now and every interval (same
	// idempotency key: the provider answers with the original refund). Both
	// stop after the requests (stopping claims, waiting for work in
	// flight, bounded).
	workerCtx, stopWorker := context.WithCancel(context.Background())
	workerDone, refundDone := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(workerDone)
		_ = worker.Run(workerCtx)
	}()
	// The carrier worker buys and voids labels and pays back on refund
	// triggers, outside the requests' transactions; stopped with the
	// outbox worker (a call in flight finishes and is recorded).
	carrierDone := make(chan struct{})
	go func() {
		defer close(carrierDone)
		svc.RunCarrierWorker(workerCtx)
	}()
	go func() {
		defer close(refundDone)
		svc.RunRefundWorker(workerCtx, *refundEvery)
	}()
	if *secret == "" {
		go reloadTokenKeys(workerCtx, st, signer, tokenKeysReload, logger)
	}
	defer func() {
		stopWorker()
		<-workerDone
		<-carrierDone
		<-refundDone
	}()

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	// Let in-flight requests finish, then the worker, then close the
	// database cleanly.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	logger.Info("shutting down")
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// The lookup limits of production, and the relaxed ones of --demo: someone
// exploring the README's demo orders looks the same few orders up again
// and again, and would be locked out within minutes.
const (
	defaultLimitIP    = 10
	defaultLimitOrder = 5
	demoLimitIP       = 120
	demoLimitOrder    = 60
	limitIPFlag       = "lookup-limit-ip"
	limitOrderFlag    = "lookup-limit-order"
)

// relaxDemoLimits raises the lookup limits that neither the command line
// nor the environment set to the demo's, and reports whether it raised any.
func relaxDemoLimits(fs *flag.FlagSet, ip, order *int) bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	relaxed := false
	if !set[limitIPFlag] {
		*ip, relaxed = demoLimitIP, true
	}
	if !set[limitOrderFlag] {
		*order, relaxed = demoLimitOrder, true
	}
	return relaxed
}

// connectorFlags are the shop and payment connectors' settings; each also
// reads RETURNS_<NAME> and, when set, wins over what staff stored at
// /admin/settings.
func connectorFlags(fs *flag.FlagSet) *service.ConnectorEnv {
	c := &service.ConnectorEnv{}
	fs.StringVar(&c.RefundExecutor, "refund-executor", "", "default refund executor: manual, stripe, shopify or woocommerce (default manual)")
	fs.StringVar(&c.StripeKey, "stripe-key", "", "Stripe secret or restricted key (refunds write)")
	fs.StringVar(&c.StripeAPIURL, "stripe-api-url", "", "Stripe API base URL (tests: stripe-mock)")
	fs.StringVar(&c.ShopifyWebhookSecret, "shopify-webhook-secret", "", "Shopify app's webhook signing secret (enables /webhooks/shopify)")
	fs.StringVar(&c.ShopifyShop, "shopify-shop", "", "the shop's myshopify.com domain (webhooks from other shops are refused)")
	fs.StringVar(&c.ShopifyToken, "shopify-token", "", "Shopify Admin API access token (read_orders, write_orders)")
	fs.StringVar(&c.ShopifyLocationID, "shopify-location-id", "", "Shopify location where resellable returns are restocked")
	fs.StringVar(&c.ShopifyAPIURL, "shopify-api-url", "", "Shopify Admin API base URL (tests)")
	fs.StringVar(&c.WooWebhookSecret, "woocommerce-webhook-secret", "", "WooCommerce webhooks' secret (enables /webhooks/woocommerce)")
	fs.StringVar(&c.WooURL, "woocommerce-url", "", "WooCommerce store URL")
	fs.StringVar(&c.WooKey, "woocommerce-key", "", "WooCommerce REST API consumer key (read/write)")
	fs.StringVar(&c.WooSecret, "woocommerce-secret", "", "WooCommerce REST API consumer secret")
	return c
}

// openStore opens the database and brings its schema up to date.
func openStore(ctx context.Context, dsn string, legal *returns.Legal) (*store.Store, error) {
	st, err := store.Open(ctx, dsn, legal)
	if err != nil {
		return nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
