import type { Context } from 'koa';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { Controller, Ctx, Get } from 'routing-controllers';
import { inject, injectable } from 'tsyringe';

/** Open, like /health: every metric of the process (the library's `entra_auth_*` among them) in Prometheus' text format. */
@injectable()
@Controller()
export class MetricsController {
  private readonly serializer = new PrometheusSerializer();

  constructor(@inject(PrometheusExporter) private readonly exporter: PrometheusExporter) {}

  @Get('/metrics')
  async metrics(@Ctx() ctx: Context): Promise<string> {
    const { resourceMetrics } = await this.exporter.collect();
    ctx.type = 'text/plain; version=0.0.4; charset=utf-8';
    return this.serializer.serialize(resourceMetrics);
  }
}
