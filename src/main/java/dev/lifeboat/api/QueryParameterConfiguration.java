package dev.lifeboat.api;

import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Unknown query parameters are refused on the API and, the same way, on the web pages. A page
 * also accepts {@code continue}: Spring Security adds it to the page it returns to after a login.
 */
@Configuration(proxyBeanMethods = false)
class QueryParameterConfiguration implements WebMvcConfigurer {

  private final ObjectProvider<RequestMappingHandlerAdapter> adapter;

  QueryParameterConfiguration(ObjectProvider<RequestMappingHandlerAdapter> adapter) {
    this.adapter = adapter;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new QueryParameterCheck(this::resolvers, Set.of())).addPathPatterns("/api/**");
    registry.addInterceptor(new QueryParameterCheck(this::resolvers, Set.of("continue")))
        .addPathPatterns("/**")
        .excludePathPatterns("/api/**");
  }

  private List<HandlerMethodArgumentResolver> resolvers() {
    return adapter.getObject().getArgumentResolvers();
  }
}
