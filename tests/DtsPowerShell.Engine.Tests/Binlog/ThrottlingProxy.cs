using System.Net;
using System.Net.Sockets;

namespace DtsPowerShell.Engine.Tests.Binlog;

/// <summary>
/// A TCP proxy on loopback that passes the server's bytes on slowly (a chunk, then a pause), as a slow link does;
/// the client's bytes go through at once.
/// </summary>
public sealed class ThrottlingProxy : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly List<TcpClient> clients = [];

    public ThrottlingProxy(string host, int port, int chunkBytes, TimeSpan pause)
    {
        listener.Start();
        _ = AcceptAsync(host, port, chunkBytes, pause);
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        lock (clients)
        {
            clients.ForEach(c => c.Dispose());
        }

        stop.Dispose();
    }

    private async Task AcceptAsync(string host, int port, int chunkBytes, TimeSpan pause)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                var server = new TcpClient();
                await server.ConnectAsync(host, port, stop.Token);
                lock (clients)
                {
                    clients.Add(client);
                    clients.Add(server);
                }

                _ = PumpAsync(client.GetStream(), server.GetStream(), int.MaxValue, TimeSpan.Zero);
                _ = PumpAsync(server.GetStream(), client.GetStream(), chunkBytes, pause);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, int chunkBytes, TimeSpan pause)
    {
        var buffer = new byte[Math.Min(chunkBytes, 1 << 16)];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, stop.Token)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), stop.Token);
                if (pause > TimeSpan.Zero)
                {
                    await Task.Delay(pause, stop.Token);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or IOException or SocketException)
        {
        }
    }
}
