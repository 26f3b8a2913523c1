using System.Collections.Concurrent;
using PuppeteerSharp;

namespace Etrid.Exporter.Tests.Support;

/// <summary>
/// Debian's <c>chromium</c>, headless, driven by PuppeteerSharp (the installed browser, never a download):
/// one page, with its console errors (CSP violations and failed loads included) and uncaught exceptions
/// collected as <see cref="Problems"/>.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    /// <summary>Debian's package installs it here; <c>ETRID_CHROMIUM</c> names another.</summary>
    public static readonly string ExecutablePath = Environment.GetEnvironmentVariable("ETRID_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private readonly IBrowser _browser;

    private HeadlessChromium(IBrowser browser, IPage page)
    {
        _browser = browser;
        Page = page;
        page.Console += (_, e) =>
        {
            if (e.Message.Type is ConsoleType.Error or ConsoleType.Assert)
            {
                Problems.Enqueue($"console.{e.Message.Type.ToString().ToLowerInvariant()}: {e.Message.Text} {e.Message.Location?.URL}".TrimEnd());
            }
        };
        page.PageError += (_, e) => Problems.Enqueue("exception: " + e.Message);
    }

    /// <summary>Console errors and uncaught exceptions, in order.</summary>
    public ConcurrentQueue<string> Problems { get; } = new();

    /// <summary>The page, for what the helpers below do not cover.</summary>
    public IPage Page { get; }

    public static async Task<HeadlessChromium> StartAsync(int width = 1280, int height = 900)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: install it with: apt-get install -y chromium (.ci/run does)");
        }

        var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            DefaultViewport = new ViewPortOptions { Width = width, Height = height },
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-extensions", "--disable-background-networking", "--disable-sync", "--disable-component-update", "--mute-audio"],
        });
        try
        {
            var pages = await browser.PagesAsync();
            var page = pages.Length > 0 ? pages[0] : await browser.NewPageAsync();
            return new HeadlessChromium(browser, page);
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Loads <paramref name="url"/> in the page and waits for its load event.</summary>
    public Task NavigateAsync(Uri url) => Page.GoToAsync(url.ToString(), WaitUntilNavigation.Load);

    /// <summary>Evaluates a JavaScript expression in the page and returns its value (JSON-converted; undefined is the default).</summary>
    public Task<T?> EvaluateAsync<T>(string expression) => Page.EvaluateExpressionAsync<T?>(expression);

    /// <summary>Sizes the viewport as a device of that width would (a phone: mobile, scale 3).</summary>
    public Task SetViewportAsync(int width, int height, bool mobile = false) =>
        Page.SetViewportAsync(new ViewPortOptions { Width = width, Height = height, DeviceScaleFactor = mobile ? 3 : 1, IsMobile = mobile, HasTouch = mobile });

    /// <summary>A PNG of the whole page.</summary>
    public Task<byte[]> ScreenshotAsync() => Page.ScreenshotDataAsync(new ScreenshotOptions { Type = ScreenshotType.Png, FullPage = true });

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        await _browser.DisposeAsync();
    }
}
