// Command pulumi-language-nodejs is a small stand-in for Pulumi's Node.js
// language host, written for this project's test harness.
//
// The Pulumi CLI starts a language host for every program with
// `runtime: nodejs` and asks it (over gRPC) to run the program. The upstream
// host lives in its own Go module that the module proxy available to us does
// not serve, so the harness builds this one instead. It implements the parts of
// the LanguageRuntime service the CLI needs to deploy a Node.js/TypeScript
// program: the program itself is executed by @pulumi/pulumi's own `cmd/run`
// entry point, resolved from the program directory, exactly as upstream does.
//
// Not supported (answer "unimplemented"): running plugins written in Node.js
// (RunPlugin), code generation (GenerateProgram/Project/Package), Pack, Link,
// and synchronous invokes (`--sync` pipes; only deprecated `invokeSync` needs
// them).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// version is reported through GetPluginInfo; the build sets it with
// -ldflags "-X main.version=...".
var version = "3.248.0"

const (
	// Module path of the SDK's program runner, resolved from the program directory.
	defaultRunModule = "@pulumi/pulumi/cmd/run"
	// Exit code with which @pulumi/pulumi's runner says "the error was already shown to the user".
	exitCodeErrorAlreadyReported = 32
)

func main() {
	tracing := flag.String("tracing", "", "Zipkin-compatible tracing endpoint (passed on to the program)")
	runtimeName := flag.String("runtime", "nodejs", "JavaScript runtime; only nodejs is supported")
	showVersion := flag.Bool("version", false, "print the version and exit")
	// Older CLIs passed these; accept and ignore them.
	flag.String("root", "", "ignored")
	flag.Bool("typescript", true, "ignored; use the `typescript` runtime option in Pulumi.yaml")
	flag.Parse()

	if *showVersion {
		fmt.Println(version)
		return
	}
	if *runtimeName != "nodejs" {
		fatalf("unsupported runtime %q (only nodejs)", *runtimeName)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	host := newHost(*tracing)
	if args := flag.Args(); len(args) > 0 {
		host.setEngine(ctx, args[0], stop)
	}

	cancel := make(chan bool)
	go func() {
		<-ctx.Done()
		close(cancel)
	}()
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fatalf("could not start the language host gRPC server: %v", err)
	}
	// The CLI reads the port from our first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fatalf("language host stopped serving: %v", err)
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: "+format+"\n", args...)
	os.Exit(1)
}

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	tracing string

	mu            sync.Mutex
	engineAddress string
	running       map[*exec.Cmd]struct{}
}

func newHost(tracing string) *host {
	return &host{tracing: tracing, running: map[*exec.Cmd]struct{}{}}
}

// setEngine records the engine address and, like the upstream host, exits
// when the engine stops answering health checks so no host outlives its CLI.
func (h *host) setEngine(ctx context.Context, addr string, stop context.CancelFunc) {
	h.mu.Lock()
	h.engineAddress = addr
	h.mu.Unlock()
	if err := rpcutil.Healthcheck(ctx, addr, 5*time.Minute, stop); err != nil {
		fatalf("could not start the engine health check: %v", err)
	}
}

func (h *host) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

func (h *host) Handshake(
	ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.mu.Lock()
		h.engineAddress = req.GetEngineAddress()
		h.mu.Unlock()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// options are the `runtime.options` of Pulumi.yaml that matter for running.
type options struct {
	typescript     bool
	tsconfig       string
	nodeargs       []string
	packagemanager string
}

func parseOptions(info *pulumirpc.ProgramInfo) (options, error) {
	opts := options{typescript: true, packagemanager: "auto"}
	if info == nil || info.GetOptions() == nil {
		return opts, nil
	}
	raw := info.GetOptions().AsMap()
	if v, ok := raw["typescript"]; ok {
		b, ok := v.(bool)
		if !ok {
			return opts, errors.New("the typescript runtime option must be a boolean")
		}
		opts.typescript = b
	}
	if v, ok := raw["tsconfig"]; ok {
		s, ok := v.(string)
		if !ok {
			return opts, errors.New("the tsconfig runtime option must be a string")
		}
		opts.tsconfig = s
	}
	if v, ok := raw["nodeargs"]; ok {
		s, ok := v.(string)
		if !ok {
			return opts, errors.New("the nodeargs runtime option must be a string")
		}
		// Plain whitespace splitting: quoting is not supported.
		opts.nodeargs = strings.Fields(s)
	}
	if v, ok := raw["packagemanager"]; ok {
		s, ok := v.(string)
		if !ok {
			return opts, errors.New("the packagemanager runtime option must be a string")
		}
		switch s {
		case "auto", "npm", "yarn", "pnpm", "bun":
			opts.packagemanager = s
		default:
			return opts, fmt.Errorf("unknown packagemanager %q (auto, npm, yarn, pnpm or bun)", s)
		}
	}
	return opts, nil
}

func programDir(info *pulumirpc.ProgramInfo, fallback string) string {
	if d := info.GetProgramDirectory(); d != "" {
		return d
	}
	if fallback != "" {
		return fallback
	}
	wd, _ := os.Getwd()
	return wd
}

// resolveModule asks node where `mod` resolves to, starting from dir.
func resolveModule(ctx context.Context, nodeBin, dir, mod string) (string, error) {
	script := fmt.Sprintf("try{console.log(require.resolve(%q))}catch(e){console.error(e.code==='MODULE_NOT_FOUND'"+
		"?'It looks like the Pulumi SDK has not been installed. Have you run npm install?':e.message);process.exit(1)}",
		mod)
	cmd := exec.CommandContext(ctx, nodeBin, "-e", script)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("resolving %s from %s: %s", mod, dir, msg)
	}
	return strings.TrimSpace(string(out)), nil
}

// Run executes the program with @pulumi/pulumi's runner, passing the same
// flags and environment variables as the upstream host.
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	fail := func(format string, args ...any) (*pulumirpc.RunResponse, error) {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf(format, args...)}, nil
	}

	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return fail("could not find node on the $PATH: %v", err)
	}
	opts, err := parseOptions(req.GetInfo())
	if err != nil {
		return fail("%v", err)
	}
	dir := programDir(req.GetInfo(), req.GetPwd())

	runModule := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runModule == "" {
		runModule = defaultRunModule
	}
	runPath, err := resolveModule(ctx, nodeBin, dir, runModule)
	if err != nil {
		return fail("%v", err)
	}

	configJSON, err := configToJSON(req.GetConfig())
	if err != nil {
		return fail("failed to serialize configuration: %v", err)
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return fail("failed to serialize configuration secret keys: %v", err)
	}

	env := append(os.Environ(),
		"PULUMI_CONFIG="+configJSON,
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON),
	)
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}

	args := append([]string{}, opts.nodeargs...)
	args = append(args, runPath)
	flagArg := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flagArg("monitor", req.GetMonitorAddress())
	flagArg("engine", h.engine())
	flagArg("organization", req.GetOrganization())
	flagArg("project", req.GetProject())
	flagArg("root-directory", req.GetInfo().GetRootDirectory())
	flagArg("stack", req.GetStack())
	flagArg("pwd", dir)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	flagArg("parallel", strconv.Itoa(int(req.GetParallel())))
	flagArg("tracing", h.tracing)
	entry := req.GetInfo().GetEntryPoint()
	if entry == "" {
		entry = req.GetProgram()
	}
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	cmd := exec.Command(nodeBin, args...)
	cmd.Dir = dir
	cmd.Env = env
	// Wrap os.Stdout/os.Stderr so exec copies through a pipe instead of handing
	// node our file descriptors (node may switch them to non-blocking mode).
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	if err := cmd.Start(); err != nil {
		return fail("Problem executing program (could not run language executor): %v", err)
	}
	h.track(cmd, true)
	defer h.track(cmd, false)

	// Interrupt the program if the engine gives up on this request.
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-ctx.Done():
			_ = cmd.Process.Signal(os.Interrupt)
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				_ = cmd.Process.Kill()
			}
		case <-done:
		}
	}()

	err = cmd.Wait()
	_ = os.Stdout.Sync()
	_ = os.Stderr.Sync()
	if err == nil {
		return &pulumirpc.RunResponse{}, nil
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		switch code := exitErr.ExitCode(); code {
		case exitCodeErrorAlreadyReported:
			return &pulumirpc.RunResponse{Bail: true}, nil
		case -1:
			return fail("Program exited unexpectedly: %v", exitErr)
		default:
			return fail("Program exited with non-zero exit code: %d", code)
		}
	}
	return fail("Problem executing program (could not run language executor): %v", err)
}

func (h *host) track(cmd *exec.Cmd, add bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if add {
		h.running[cmd] = struct{}{}
	} else {
		delete(h.running, cmd)
	}
}

// Cancel interrupts any running program.
func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for cmd := range h.running {
		if cmd.Process != nil {
			_ = cmd.Process.Signal(os.Interrupt)
		}
	}
	return &emptypb.Empty{}, nil
}

// configToJSON serializes config the way @pulumi/pulumi reads PULUMI_CONFIG:
// a JSON object whose keys use the "<namespace>:config:<name>" form, which
// every SDK version understands.
func configToJSON(cfg map[string]string) (string, error) {
	out := make(map[string]string, len(cfg))
	for k, v := range cfg {
		key, err := config.ParseKey(k)
		if err != nil {
			return "", err
		}
		out[key.Namespace()+":config:"+key.Name()] = v
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// packageJSON holds the package.json fields the host looks at.
type packageJSON struct {
	Name            string            `json:"name"`
	Version         string            `json:"version"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
	Pulumi          struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

func readPackageJSON(path string) (*packageJSON, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p packageJSON
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &p, nil
}

// GetRequiredPackages reports the resource plugins that installed npm
// packages declare ("pulumi": {"resource": true} in their package.json), as
// upstream does. A project that only uses dynamic providers needs none; the
// `pulumi-nodejs` provider is found on $PATH next to the CLI.
func (h *host) GetRequiredPackages(
	ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	deps := findPluginPackages(programDir(req.GetInfo(), ""))
	resp := &pulumirpc.GetRequiredPackagesResponse{}
	for _, d := range deps {
		resp.Packages = append(resp.Packages, &pulumirpc.PackageDependency{
			Name: d.Name, Kind: d.Kind, Version: d.Version, Server: d.Server,
		})
	}
	return resp, nil
}

// GetRequiredPlugins is the deprecated predecessor of GetRequiredPackages.
func (h *host) GetRequiredPlugins(
	ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	dir := programDir(req.GetInfo(), req.GetPwd())
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: findPluginPackages(dir)}, nil
}

// findPluginPackages walks dir/node_modules (including nested node_modules
// and @scope directories) for packages that declare a Pulumi resource plugin.
func findPluginPackages(dir string) []*pulumirpc.PluginDependency {
	seen := map[string]bool{}
	visited := map[string]bool{} // real paths of node_modules dirs already walked (symlink cycles)
	var out []*pulumirpc.PluginDependency
	var walk func(nodeModules string, depth int)
	walk = func(nodeModules string, depth int) {
		if depth > 16 {
			return
		}
		real, err := filepath.EvalSymlinks(nodeModules)
		if err != nil || visited[real] {
			return
		}
		visited[real] = true
		entries, err := os.ReadDir(nodeModules)
		if err != nil {
			return
		}
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, ".") {
				continue
			}
			pkgDirs := []string{filepath.Join(nodeModules, name)}
			if strings.HasPrefix(name, "@") {
				pkgDirs = nil
				scoped, err := os.ReadDir(filepath.Join(nodeModules, name))
				if err != nil {
					continue
				}
				for _, s := range scoped {
					pkgDirs = append(pkgDirs, filepath.Join(nodeModules, name, s.Name()))
				}
			}
			for _, pkgDir := range pkgDirs {
				if p, err := readPackageJSON(filepath.Join(pkgDir, "package.json")); err == nil && p.Pulumi.Resource {
					if dep := pluginDependency(p); dep != nil {
						key := dep.Name + "@" + dep.Version
						if !seen[key] {
							seen[key] = true
							out = append(out, dep)
						}
					}
				}
				walk(filepath.Join(pkgDir, "node_modules"), depth+1)
			}
		}
	}
	walk(filepath.Join(dir, "node_modules"), 0)
	sort.Slice(out, func(i, j int) bool { return out[i].Name+out[i].Version < out[j].Name+out[j].Version })
	return out
}

func pluginDependency(p *packageJSON) *pulumirpc.PluginDependency {
	name := p.Pulumi.Name
	if name == "" {
		if !strings.HasPrefix(p.Name, "@pulumi/") {
			// Third-party packages must name their plugin explicitly.
			return nil
		}
		name = strings.TrimPrefix(p.Name, "@pulumi/")
	}
	v := p.Pulumi.Version
	if v == "" {
		v = p.Version
	}
	if v == "" {
		return nil
	}
	if !strings.HasPrefix(v, "v") {
		v = "v" + v
	}
	return &pulumirpc.PluginDependency{Name: name, Kind: "resource", Version: v, Server: p.Pulumi.Server}
}

// packageManager picks the install command for a program directory.
func packageManager(opt, dir string) string {
	if opt != "" && opt != "auto" {
		return opt
	}
	for _, c := range []struct{ lock, pm string }{
		{"bun.lockb", "bun"}, {"bun.lock", "bun"}, {"pnpm-lock.yaml", "pnpm"}, {"yarn.lock", "yarn"},
	} {
		if _, err := os.Stat(filepath.Join(dir, c.lock)); err == nil {
			return c.pm
		}
	}
	return "npm"
}

// InstallDependencies runs the package manager's install in the program
// directory (`pulumi install`, or `pulumi new`).
func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	defer closer.Close()

	opts, err := parseOptions(req.GetInfo())
	if err != nil {
		return err
	}
	dir := programDir(req.GetInfo(), req.GetDirectory())
	pm := packageManager(opts.packagemanager, dir)
	fmt.Fprintf(stdout, "Installing dependencies with %s in %s...\n\n", pm, dir)
	cmd := exec.CommandContext(server.Context(), pm, "install")
	cmd.Dir = dir
	cmd.Stdout = stdout
	cmd.Stderr = stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s install failed: %w", pm, err)
	}
	fmt.Fprintf(stdout, "Finished installing dependencies\n\n")
	return closer.Close()
}

func (h *host) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

func (h *host) Template(context.Context, *pulumirpc.TemplateRequest) (*pulumirpc.TemplateResponse, error) {
	return &pulumirpc.TemplateResponse{}, nil
}

func (h *host) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	opts, err := parseOptions(req.GetInfo())
	if err != nil {
		return nil, err
	}
	resp := &pulumirpc.AboutResponse{Metadata: map[string]string{
		"packagemanager": packageManager(opts.packagemanager, programDir(req.GetInfo(), "")),
	}}
	if nodeBin, err := exec.LookPath("node"); err == nil {
		resp.Executable = nodeBin
		if out, err := exec.CommandContext(ctx, nodeBin, "--version").Output(); err == nil {
			resp.Version = strings.TrimSpace(string(out))
		}
	}
	return resp, nil
}

// GetProgramDependencies lists the program's direct dependencies with the
// versions installed under node_modules (or the declared range when missing).
func (h *host) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := programDir(req.GetInfo(), req.GetPwd())
	p, err := readPackageJSON(filepath.Join(dir, "package.json"))
	if err != nil {
		return nil, fmt.Errorf("reading package.json: %w", err)
	}
	names := map[string]string{}
	for n, v := range p.DevDependencies {
		names[n] = v
	}
	for n, v := range p.Dependencies {
		names[n] = v
	}
	resp := &pulumirpc.GetProgramDependenciesResponse{}
	for n, declared := range names {
		v := declared
		if installed, err := readPackageJSON(filepath.Join(dir, "node_modules", n, "package.json")); err == nil &&
			installed.Version != "" {
			v = installed.Version
		}
		resp.Dependencies = append(resp.Dependencies, &pulumirpc.DependencyInfo{Name: n, Version: v})
	}
	sort.Slice(resp.Dependencies, func(i, j int) bool { return resp.Dependencies[i].Name < resp.Dependencies[j].Name })
	return resp, nil
}

func (h *host) RunPlugin(*pulumirpc.RunPluginRequest, pulumirpc.LanguageRuntime_RunPluginServer) error {
	return status.Error(codes.Unimplemented,
		"this harness language host cannot run Node.js plugins; put an executable on $PATH instead")
}
