package dev.lifeboat.api;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.beans.PropertyDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.beans.BeanUtils;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.annotation.ModelAttributeMethodProcessor;
import org.springframework.web.method.annotation.RequestParamMapMethodArgumentResolver;
import org.springframework.web.method.annotation.RequestParamMethodArgumentResolver;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Refuses query parameters the handler does not read, with 400 naming them and the accepted ones:
 * a mistyped filter ({@code /api/audit?run=} for {@code runId}) must not quietly return everything.
 * A handler accepts what Spring MVC binds for it, decided by the same argument resolvers: its
 * {@code @RequestParam} names (explicit or implied for simple types) and the properties of its
 * model attributes (such as the audit filter record). A handler taking {@code @RequestParam Map}
 * accepts anything. Only the query string is checked: form fields in a POST body are not query
 * parameters. Handlers outside Lifeboat's own packages (the error page) are left alone.
 */
class QueryParameterCheck implements HandlerInterceptor {

  private static final Accepted ANYTHING = new Accepted(Set.of(), Set.of(), true);

  private final Supplier<List<HandlerMethodArgumentResolver>> resolvers;
  private final Set<String> alwaysAccepted;
  private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();
  private final Map<Method, Accepted> accepted = new ConcurrentHashMap<>();

  /**
   * @param resolvers the handler adapter's argument resolvers (looked up on first use: the adapter
   *     is built after the interceptors are registered)
   * @param alwaysAccepted names accepted on every handler, such as Spring Security's {@code continue}
   */
  QueryParameterCheck(Supplier<List<HandlerMethodArgumentResolver>> resolvers, Set<String> alwaysAccepted) {
    this.resolvers = resolvers;
    this.alwaysAccepted = alwaysAccepted;
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    String query = request.getQueryString();
    if (query == null || query.isEmpty() || request.getDispatcherType() != DispatcherType.REQUEST
        || !(handler instanceof HandlerMethod method) || !method.getBeanType().getPackageName().startsWith("dev.lifeboat")) {
      return true;
    }
    Accepted accepts = accepted.computeIfAbsent(method.getMethod(), m -> accepted(method));
    Set<String> unknown = new LinkedHashSet<>();
    for (String name : names(query)) {
      if (!accepts.allows(name) && !alwaysAccepted.contains(name)) {
        unknown.add(name);
      }
    }
    if (unknown.isEmpty()) {
      return true;
    }
    Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
    String path = pattern != null ? pattern.toString() : request.getRequestURI();
    throw new UnknownQueryParameterException(request.getMethod() + " " + path, unknown, accepts.names());
  }

  private Accepted accepted(HandlerMethod handler) {
    Set<String> params = new LinkedHashSet<>();
    Set<String> properties = new LinkedHashSet<>();
    for (MethodParameter declared : handler.getMethodParameters()) {
      MethodParameter parameter = declared.clone();
      parameter.initParameterNameDiscovery(parameterNames);
      HandlerMethodArgumentResolver resolver = resolvers.get().stream()
          .filter(candidate -> candidate.supportsParameter(parameter))
          .findFirst()
          .orElse(null);
      if (resolver instanceof RequestParamMapMethodArgumentResolver) {
        return ANYTHING;
      } else if (resolver instanceof RequestParamMethodArgumentResolver) {
        RequestParam annotation = parameter.getParameterAnnotation(RequestParam.class);
        params.add(annotation != null && !annotation.name().isEmpty() ? annotation.name() : parameter.getParameterName());
      } else if (resolver instanceof ModelAttributeMethodProcessor) {
        properties.addAll(bindable(parameter.nestedIfOptional().getNestedParameterType()));
      }
    }
    return new Accepted(params, properties, false);
  }

  /** What a data binder sets on a model attribute: constructor arguments (record components) and writable properties. */
  private List<String> bindable(Class<?> type) {
    List<String> names = new ArrayList<>();
    if (type.isRecord()) {
      for (RecordComponent component : type.getRecordComponents()) {
        names.add(component.getName());
      }
      return names;
    }
    Constructor<?> constructor = BeanUtils.getResolvableConstructor(type);
    String[] arguments = parameterNames.getParameterNames(constructor);
    if (arguments != null) {
      names.addAll(List.of(arguments));
    }
    for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
      if (property.getWriteMethod() != null) {
        names.add(property.getName());
      }
    }
    return names;
  }

  private static Set<String> names(String query) {
    Set<String> names = new LinkedHashSet<>();
    for (String pair : query.split("&")) {
      int equals = pair.indexOf('=');
      String raw = equals < 0 ? pair : pair.substring(0, equals);
      if (raw.isEmpty()) {
        continue;
      }
      try {
        names.add(URLDecoder.decode(raw, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        names.add(raw);
      }
    }
    return names;
  }

  /** Request parameters by exact name; model attribute properties also nested ({@code a.b}, {@code a[0]}) or as checkbox markers ({@code _a}, {@code !a}). */
  private record Accepted(Set<String> params, Set<String> properties, boolean anything) {

    boolean allows(String name) {
      if (anything || params.contains(name)) {
        return true;
      }
      String property = name.startsWith("_") || name.startsWith("!") ? name.substring(1) : name;
      int nested = indexOfAny(property, '.', '[');
      return properties.contains(nested < 0 ? property : property.substring(0, nested));
    }

    Set<String> names() {
      Set<String> names = new LinkedHashSet<>(properties);
      names.addAll(params);
      return names;
    }

    private static int indexOfAny(String text, char a, char b) {
      int first = text.indexOf(a);
      int second = text.indexOf(b);
      return first < 0 ? second : second < 0 ? first : Math.min(first, second);
    }
  }

  /** 400, as a problem detail for the API ({@code unknown} and {@code accepted} list the names) or as the error page. */
  static final class UnknownQueryParameterException extends ResponseStatusException {

    UnknownQueryParameterException(String request, Collection<String> unknown, Collection<String> accepted) {
      super(HttpStatus.BAD_REQUEST, detail(request, unknown, accepted));
      setTitle("Unknown query parameter");
      getBody().setProperty("unknown", List.copyOf(unknown));
      getBody().setProperty("accepted", List.copyOf(accepted));
    }

    private static String detail(String request, Collection<String> unknown, Collection<String> accepted) {
      String names = String.join(", ", unknown.stream().map(name -> "'" + name + "'").toList());
      return (unknown.size() == 1 ? "unknown query parameter " : "unknown query parameters ") + names + "; " + request
          + (accepted.isEmpty() ? " accepts no query parameters" : " accepts " + String.join(", ", accepted));
    }
  }
}
