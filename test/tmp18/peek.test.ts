import { campaignConfig, campaignWorld } from '../integration/campaign-fixture.ts';
import { startSmtpSink } from '../integration/campaign-peers.ts';
import { campaignCli } from '../integration/campaign-run.ts';
jest.setTimeout(60000);
it('peek', async () => {
    const world = await campaignWorld({ professionals: 50, members: 5 });
    const smtp = await startSmtpSink();
    const config = await campaignConfig(world, { smtpPort: smtp.port });
    const run = await campaignCli(world.em, ['send', '--campaign', world.campaignId, '--config', config]);
    console.log(smtp.messages.map(m => m.envelopeId));
    console.log(smtp.messages[0]?.raw.toString().slice(0, 4000));
    console.log(world.em.records('Contact').slice(0,2).map(c => c.SubjectKey__c));
    await smtp.close(); await world.cleanup();
});
