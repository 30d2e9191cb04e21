using FriendlyChaoyang.Api.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace FriendlyChaoyang.Api.Tests.Console;

/// <summary>
/// The API on a real socket (Kestrel on a free port, on the shared test cluster; a browser cannot reach the in-memory
/// TestServer) and Debian's headless chromium driving it through chromedriver.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";
    public const string ChromeDriver = "/usr/bin/chromedriver";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly WebApplication _app;

    private ConsoleBrowser(WebApplication app, Uri baseAddress, ChromeDriver driver)
    {
        _app = app;
        BaseAddress = baseAddress;
        Driver = driver;
    }

    public Uri BaseAddress { get; }

    public ChromeDriver Driver { get; }

    /// <summary>Where screenshots go: the test output folder, so a reviewer finds them next to the test assembly.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "console-screenshots");

    public static async Task<ConsoleBrowser> StartAsync(ApiFixture fixture)
    {
        // A missing browser fails the test with the fix, never skips it.
        if (!File.Exists(Chromium) || !File.Exists(ChromeDriver))
        {
            throw new InvalidOperationException(
                $"The console tests need {Chromium} and {ChromeDriver}: apt-get install -y chromium chromium-driver (test.sh does this when they are missing).");
        }
        var app = ApiApp.Build(ApiFixture.Arguments, builder =>
        {
            builder.Configuration.AddInMemoryCollection(fixture.Settings());
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        });
        await app.StartAsync();
        var baseAddress = new Uri(app.Urls.Single());
        using (var client = new HttpClient { BaseAddress = baseAddress })
        {
            await ApiFixture.WaitUntilReadyAsync(client);
        }

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1100", "--lang=zh-CN");
        return new ConsoleBrowser(app, baseAddress, new ChromeDriver(service, options, TimeSpan.FromSeconds(60)));
    }

    /// <summary>Opens the console; <paramref name="fragment"/> is the part after '#', e.g. token=...</summary>
    public void Open(string? fragment = null) =>
        Driver.Navigate().GoToUrl(new Uri(BaseAddress, "/console/" + (fragment is null ? "" : "#" + fragment)));

    /// <summary>Polls until <paramref name="condition"/> holds; the page re-renders every few seconds, so stale elements are retried.</summary>
    public void Until(Func<IWebDriver, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                if (condition(Driver))
                {
                    return;
                }
            }
            catch (Exception e) when (e is StaleElementReferenceException or NoSuchElementException)
            {
            }
            if (DateTime.UtcNow > deadline)
            {
                Screenshot("timeout");
                throw new TimeoutException($"Waited {Patience.TotalSeconds} s for {what}. Page text: {Driver.FindElement(By.TagName("body")).Text}");
            }
            Thread.Sleep(200);
        }
    }

    /// <summary>Clicks the element the selector finds once it is enabled, retrying across re-renders.</summary>
    public void Click(string css, string what) => Until(d =>
    {
        var element = d.FindElement(By.CssSelector(css));
        if (!element.Displayed || !element.Enabled)
        {
            return false;
        }
        element.Click();
        return true;
    }, what);

    public string Text(string css) => Driver.FindElement(By.CssSelector(css)).Text;

    public bool Exists(string css) => Driver.FindElements(By.CssSelector(css)).Count > 0;

    public string Screenshot(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, $"{name}.png");
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        Driver.Quit();
        Driver.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
