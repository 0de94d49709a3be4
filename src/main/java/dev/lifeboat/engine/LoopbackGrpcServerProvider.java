package dev.lifeboat.engine;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.ServerProvider;
import io.grpc.netty.NettyServerBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The embedded engine builds its gRPC gateway with {@code ServerBuilder.forPort(port)}, which
 * listens on every interface and has no authentication. Anyone reaching it could complete an
 * approval job directly and bypass four-eyes approval. This provider outranks Netty's own and binds
 * every gRPC server built in this JVM to the loopback interface. Lifeboat runs no other gRPC server.
 */
public final class LoopbackGrpcServerProvider extends ServerProvider {

  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    return 10; // Netty's provider is 5
  }

  @Override
  protected ServerBuilder<?> builderForPort(int port) {
    return NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
  }

  @Override
  protected NewServerBuilderResult newServerBuilderForPort(int port, ServerCredentials credentials) {
    if (!(credentials instanceof InsecureServerCredentials)) {
      return NewServerBuilderResult.error("only plaintext loopback servers are built here");
    }
    return NewServerBuilderResult.serverBuilder(builderForPort(port));
  }
}
