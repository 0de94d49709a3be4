package dev.lifeboat.metrics;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** Each scrape of {@code /actuator/prometheus} sees the database as it is at that moment. */
@Component
class MetricsRefreshFilter extends OncePerRequestFilter {

  private final LifeboatMetrics metrics;

  MetricsRefreshFilter(LifeboatMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"/actuator/prometheus".equals(request.getRequestURI());
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    metrics.refresh();
    chain.doFilter(request, response);
  }
}
